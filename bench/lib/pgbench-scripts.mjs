// Turns the daemon's SQL log (CLIENTD_SQL_LOG: one JSON line per pipeline,
// [{"sql": ..., "params": [...]}, ...]) into pgbench scripts that send the
// very same statements the same way: one pipeline per transaction
// (\startpipeline ... \endpipeline), every parameter a pgbench variable
// (:v1, :v2 ..., defined with -D and sent as a bind parameter by
// pgbench -M extended), NULL parameters the literal NULL.
//
// Each logged request that authenticated (its first statement calls
// auth_begin) becomes one branch of a script; a script holds the requests
// of one company (one token) and picks one of them at random per
// transaction (\set r random(...) and \if :r = i). Companies with more
// requests than --per-file get several scripts. pgbench picks a script per
// transaction in proportion to its weight (its number of requests), so
// every captured request is equally likely, as in the wrk Lua script.
//
// Usage: node pgbench-scripts.mjs --log FILE --out DIR --name NAME
//            [--per-file 20] [--expect N] [--explain N] [--unique REGEX]
// Writes DIR/NAME-<i>.sql, DIR/NAME.files (one "path@weight" per line, for
// pgbench -f) and DIR/NAME.defines (one "name=value" per line, for -D);
// prints a one-line summary. --expect checks the number of requests.
// --explain N also writes DIR/NAME.explain.sql, a psql script that runs
// the first N requests of the first credential as EXPLAIN (ANALYZE,
// BUFFERS), each pipeline in one transaction like the daemon's (so
// auth_begin sets the tenant), with the parameters as literals.
// --unique REGEX: parameters matching REGEX (an Idempotency-Key, say) get
// a new random value in every transaction (:u, \set u random(...)).

import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: opt } = parseArgs({
	options: {
		log: { type: 'string' },
		out: { type: 'string' },
		name: { type: 'string' },
		'per-file': { type: 'string', default: '20' },
		expect: { type: 'string' },
		explain: { type: 'string' },
		unique: { type: 'string' },
	},
});
if (!opt.log || !opt.out || !opt.name)
	throw new Error('usage: --log FILE --out DIR --name NAME [--per-file N] [--expect N]');
const perFile = Number(opt['per-file']);
const unique = opt.unique !== undefined ? new RegExp(opt.unique) : null;
const MAX_SCRIPTS = 128; // pgbench's limit on -f scripts

// A line is the daemon's pipeline (an array whose first statement calls
// auth_begin, whose second parameter is the credential), or one written by
// bench/lib/floor-log.mjs ({credential, statements}).
const pipelines = readFileSync(opt.log, 'utf8').split('\n')
	.filter((l) => l.trim() !== '')
	.map((l) => JSON.parse(l))
	.filter((p) => (Array.isArray(p) && p.length > 0 && /\bauth_begin\(/.test(p[0].sql)) ||
	    (!Array.isArray(p) && Array.isArray(p.statements)))
	.map((p) => (Array.isArray(p) ? Object.assign(p, { credential: p[0].params[1] }) :
	    Object.assign(p.statements, { credential: p.credential })));
if (pipelines.length === 0)
	throw new Error(`${opt.log}: no authenticated pipeline logged`);
if (opt.expect !== undefined && pipelines.length !== Number(opt.expect))
	throw new Error(`${opt.log}: ${pipelines.length} authenticated pipelines, expected ${opt.expect}`);

// Every distinct parameter value gets one variable.
const vars = new Map();
function variable(value) {
	if (/[\n\r]/.test(value))
		throw new Error(`parameter with a line break cannot be a -D value: ${JSON.stringify(value)}`);
	if (!vars.has(value))
		vars.set(value, `v${vars.size + 1}`);
	return `:${vars.get(value)}`;
}

// $n -> :vK or NULL. The daemon's statements have no $ in literals or
// dollar quotes (checked), so a plain scan is exact.
function statement(st) {
	if (st.sql.includes('$$') ||
	    (st.sql.match(/'(?:[^']|'')*'/g) ?? []).some((lit) => lit.includes('$')))
		throw new Error(`statement with $ in a literal: ${st.sql.slice(0, 80)}`);
	const sql = st.sql.replace(/\$(\d+)/g, (_, n) => {
		const i = Number(n) - 1;
		if (i < 0 || i >= st.params.length)
			throw new Error(`$${n} without a parameter in: ${st.sql.slice(0, 80)}`);
		const v = st.params[i];
		if (v !== null && unique !== null && unique.test(v))
			return ':u';
		return v === null ? 'NULL' : variable(v);
	});
	// pgbench reads a statement up to its semicolon; keep it on one line.
	return sql.replace(/\s*\n\s*/g, ' ').replace(/;?\s*$/, ';');
}

function leaf(p) {
	const uniq = unique !== null ? ['\\set u random(1, 9000000000000000000)'] : [];
	return [...uniq, '\\startpipeline', ...p.map(statement), '\\endpipeline'];
}

// A chunk's requests as ONE pipeline whose varying parameters are picked
// per transaction (\gset from arrays, one round trip before the pipeline):
// each statement text then appears once in the script, so pgbench -M
// prepared prepares it once per connection, as the daemon does. null when
// the requests differ in their statements or a varying parameter is NULL
// or unique.
function shared(chunk) {
	const shape = (p) => p.map((st) => `${st.params.length}:${st.sql}`).join('\u0000');
	if (chunk.some((p) => shape(p) !== shape(chunk[0])))
		return null;
	const picks = [];
	const stmts = chunk[0].map((st, i) => {
		const params = st.params.map((v, j) => {
			const all = chunk.map((p) => p[i].params[j]);
			if (all.every((x) => x === v))
				return v;
			if (all.some((x) => x === null || (unique !== null && unique.test(x))))
				return undefined;
			picks.push(`(ARRAY[${all.map(variable).join(', ')}])[:r::int] AS a${picks.length + 1}`);
			return { pick: `:a${picks.length}` };
		});
		return { sql: st.sql, params };
	});
	if (stmts.some((st) => st.params.includes(undefined)))
		return null;
	const text = (st) => statement({ sql: st.sql.replace(/\$(\d+)/g, (m, n) => {
		const v = st.params[Number(n) - 1];
		return typeof v === 'object' && v !== null ? `\u0001${n}` : m;
	}), params: st.params.map((v) => (typeof v === 'object' && v !== null ? '' : v)) })
		.replace(/\u0001(\d+)/g, (_, n) => st.params[Number(n) - 1].pick);
	const uniq = unique !== null ? ['\\set u random(1, 9000000000000000000)'] : [];
	return [`\\set r random(1, ${chunk.length})`, ...uniq,
		...(picks.length > 0 ? [`SELECT ${picks.join(', ')} \\gset`] : []),
		'\\startpipeline', ...stmts.map(text), '\\endpipeline'];
}

// Group by credential: the token hash, auth_begin's second parameter, and
// then by the statements sent.
const groups = new Map();
for (const p of pipelines) {
	const key = p.credential;
	if (!groups.has(key))
		groups.set(key, []);
	groups.get(key).push(p);
}
for (const [key, reqs] of groups) {
	const byShape = new Map();
	for (const p of reqs) {
		const k = p.map((st) => st.sql).join('\u0000');
		if (!byShape.has(k))
			byShape.set(k, []);
		byShape.get(k).push(p);
	}
	groups.set(key, [...byShape.values()].flat());
}

mkdirSync(opt.out, { recursive: true });
const files = [];
let g = 0;
for (const [, reqs] of groups) {
	g++;
	for (let at = 0; at < reqs.length; at += perFile) {
		const chunk = reqs.slice(at, at + perFile);
		const lines = [
			`-- Generated by bench/lib/pgbench-scripts.mjs from ${opt.log}:`,
			`-- ${chunk.length} request(s) of credential ${g}, as logged.`,
		];
		const one = chunk.length > 1 ? shared(chunk) : null;
		if (chunk.length === 1) {
			lines.push(...leaf(chunk[0]));
		} else if (one !== null) {
			lines.push(...one);
		} else {
			lines.push(`\\set r random(0, ${chunk.length - 1})`);
			chunk.forEach((p, i) => {
				lines.push(`${i === 0 ? '\\if' : '\\elif'} :r = ${i}`);
				lines.push(...leaf(p));
			});
			lines.push('\\endif');
		}
		const path = join(opt.out, `${opt.name}-${files.length + 1}.sql`);
		writeFileSync(path, lines.join('\n') + '\n');
		files.push(`${path}@${chunk.length}`);
	}
}
if (files.length > MAX_SCRIPTS)
	throw new Error(`${files.length} scripts: pgbench takes at most ${MAX_SCRIPTS}; raise --per-file`);

writeFileSync(join(opt.out, `${opt.name}.files`), files.join('\n') + '\n');
writeFileSync(join(opt.out, `${opt.name}.defines`),
	[...vars].map(([value, name]) => `${name}=${value}`).join('\n') + '\n',
	{ mode: 0o600 });
if (opt.explain !== undefined) {
	const lit = (v) => (v === null ? 'NULL' : `'${v.replace(/'/g, "''")}'`);
	const out = ['\\pset pager off', '\\set ON_ERROR_STOP 1'];
	const first = [...groups.values()][0].slice(0, Number(opt.explain));
	first.forEach((p, i) => {
		out.push(`\\echo '=== request ${i + 1} of ${first.length}'`, 'BEGIN;');
		for (const st of p) {
			const sql = st.sql.replace(/\$(\d+)/g, (_, n) => lit(st.params[Number(n) - 1]));
			out.push(`EXPLAIN (ANALYZE, BUFFERS) ${sql.replace(/\s*\n\s*/g, ' ')};`);
		}
		out.push('COMMIT;');
	});
	writeFileSync(join(opt.out, `${opt.name}.explain.sql`), out.join('\n') + '\n', { mode: 0o600 });
}

const stmts = [...new Set(pipelines.map((p) => p.length))].join('/');
console.log(`${opt.name}: ${pipelines.length} requests of ${groups.size} credential(s), ` +
	`${stmts} statements per pipeline, ${files.length} pgbench script(s), ${vars.size} variables`);
