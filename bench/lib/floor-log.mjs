// The floor of bench/clients.sh: for every request the daemon answered
// (its SQL log, CLIENTD_SQL_LOG, one JSON array of {sql, params} per
// pipeline), the least SQL that returns the same rows and total, written
// by hand: no authentication, no row-level security (it runs as the
// owner), no JSON built, one pipeline per request. With --token, the
// pipeline first looks the API token up, as any authenticated request
// must (the "floor + token lookup" ceiling).
//
// Usage: node floor-log.mjs --log FILE --scenario list|get|search
//            --companies FILE [--token] > OUT
// --companies: lines "token hash (\x...)<TAB>company id", the request's
// tenant by its credential (auth_begin()'s second parameter).
// Writes one JSON object per request, {credential, statements}, which
// bench/lib/pgbench-scripts.mjs turns into pgbench scripts like the
// daemon's own pipelines.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
	options: {
		log: { type: 'string' },
		scenario: { type: 'string' },
		companies: { type: 'string' },
		token: { type: 'boolean', default: false },
	},
});
if (!opt.log || !['list', 'get', 'search'].includes(opt.scenario) || !opt.companies)
	throw new Error('usage: --log FILE --scenario list|get|search --companies FILE [--token]');

const company = new Map(readFileSync(opt.companies, 'utf8').split('\n')
	.filter((l) => l.trim() !== '').map((l) => l.split('\t')));

// What a client and a contact show (the API's fields, as stored).
const CLIENT = ['public_id', 'number', 'name', 'display_name', 'website', 'phone', 'vat_number',
	'id_number', 'address1', 'address2', 'city', 'state', 'postal_code', 'country',
	'shipping_address1', 'shipping_address2', 'shipping_city', 'shipping_state',
	'shipping_postal_code', 'shipping_country', 'public_notes', 'private_notes',
	'custom_value1', 'custom_value2', 'custom_value3', 'custom_value4', 'group_id',
	'assigned_user_id', 'settings', 'balance', 'paid_to_date', 'archived_at', 'deleted_at',
	'created_at', 'updated_at', 'version', 'awaiting_approval'];
const CONTACT = ['public_id', 'first_name', 'last_name', 'email', 'phone', 'is_primary',
	'send_email', 'custom_value1', 'custom_value2', 'custom_value3', 'custom_value4',
	'created_at', 'updated_at', 'version'];
const cols = (alias, names) => names.map((n) => `${alias}.${n}`).join(', ');

const TOKEN = 'SELECT u.company_id, u.role, u.permissions FROM api_tokens t '
	+ 'JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1::bytea '
	+ 'AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > now()) '
	+ 'AND u.is_active';
const PAGE = `SELECT ${cols('c', CLIENT)}, ${cols('pc', CONTACT)} FROM clients c `
	+ 'LEFT JOIN client_contacts pc ON pc.client_id = c.id AND pc.is_primary '
	+ 'WHERE c.company_id = $1 AND c.status = ANY ($2::text[]) %SEARCH%'
	+ 'ORDER BY c.created_at DESC, c.public_id DESC LIMIT $3 OFFSET $4';
const FLOOR = {
	list: (p) => [
		{ sql: PAGE.replace('%SEARCH%', ''), params: [p.cid, p.statuses, p.limit, p.offset] },
		{ sql: 'SELECT active FROM client_stats WHERE company_id = $1', params: [p.cid] },
	],
	search: (p) => [
		{ sql: PAGE.replace('%SEARCH%', 'AND c.search LIKE lower($5) '),
			params: [p.cid, p.statuses, p.limit, p.offset, p.like] },
		{ sql: 'SELECT count(*) FROM clients c WHERE c.company_id = $1 '
			+ 'AND c.status = ANY ($2::text[]) AND c.search LIKE lower($3)',
		params: [p.cid, p.statuses, p.like] },
	],
	get: (p) => [
		{ sql: `SELECT ${cols('c', CLIENT)}, ${cols('k', CONTACT)} FROM clients c `
			+ 'LEFT JOIN client_contacts k ON k.client_id = c.id '
			+ 'WHERE c.company_id = $1 AND c.public_id = $2 ORDER BY k.position, k.id',
		params: [p.cid, p.id] },
	],
};

// The request's values, from the statements the daemon sent (any revision:
// the page's statement has LIMIT and OFFSET, the search's
// client_search_ids(), a client's read takes its id first).
function values(pipeline) {
	const cid = company.get(pipeline[0].params[1]);
	if (cid === undefined)
		throw new Error(`no company for credential ${pipeline[0].params[1]}`);
	const p = { cid };
	if (opt.scenario === 'get') {
		p.id = pipeline[1].params[0];
		return p;
	}
	const page = pipeline.find((st) => /LIMIT \$\d+::int OFFSET \$\d+::int/.test(st.sql));
	if (page === undefined)
		throw new Error('a list request without its page statement');
	const arg = (re) => {
		const m = re.exec(page.sql);
		if (m === null)
			throw new Error(`${re} not in: ${page.sql.slice(0, 120)}`);
		return page.params[Number(m[1]) - 1];
	};
	p.limit = arg(/LIMIT \$(\d+)::int/);
	p.offset = arg(/OFFSET \$(\d+)::int/);
	p.statuses = arg(/c\.status = ANY \(\$(\d+)::text\[\]\)/);
	if (opt.scenario === 'search')
		p.like = arg(/client_search_ids\(\$(\d+)\)/);
	return p;
}

const out = [];
for (const line of readFileSync(opt.log, 'utf8').split('\n')) {
	if (line.trim() === '')
		continue;
	const pipeline = JSON.parse(line);
	if (!/\bauth_begin\(/.test(pipeline[0].sql))
		continue;
	const credential = pipeline[0].params[1];
	const statements = FLOOR[opt.scenario](values(pipeline));
	if (opt.token)
		statements.unshift({ sql: TOKEN, params: [credential] });
	out.push(JSON.stringify({ credential, statements }));
}
process.stdout.write(out.join('\n') + '\n');
