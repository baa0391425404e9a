-- pgTAP: sql/functions/documents.sql (documents, issue 14).
BEGIN;
\ir lib/fixture.psql
SELECT plan(32);

SELECT tap.act('ua-owner');
SET LOCAL ROLE clientd_app;

SELECT client_create('{"name": "Docs A", "number": "D1"}', NULL, NULL, false) ->> 'id' AS ca \gset
SELECT client_create('{"name": "Docs B", "number": "D2"}', NULL, NULL, false) ->> 'id' AS cb \gset
SELECT group_create('Docs G', NULL) ->> 'id' AS g \gset

-- Blobs: claimed new, then found.
SELECT blob_id AS b1, created FROM document_blobs_claim(
    '[{"name": "a.txt", "size": 6, "sha256": "aa00000000000000000000000000000000000000000000000000000000000000"}]',
    4) \gset
SELECT ok(:'created', 'documents-1.1: bytes the company does not have make a new blob');
INSERT INTO document_chunks (blob_id, company_id, seq, data)
VALUES (:b1, app_company_id(), 0, 'abcd'), (:b1, app_company_id(), 1, 'ef');
SELECT is((SELECT created FROM document_blobs_claim(
    '[{"name": "b.txt", "size": 6, "sha256": "aa00000000000000000000000000000000000000000000000000000000000000"}]',
    4)), false, 'documents-1.2: (twin) the same bytes again are the same blob');

-- Documents: created with their blob complete.
SELECT documents_create('client', :'ca', format(
    '[{"blob_id": %s, "name": "a.txt", "size": 6, "declared_type": "text/plain", "sniffed_type": "text/plain", "content_type": "text/plain"}]',
    :b1)::jsonb) -> 0 ->> 'id' AS d1 \gset
SELECT is((SELECT refs FROM document_blobs WHERE id = :b1), 1, 'documents-1.3: a document counts on its blob');
SELECT is((document_get(:'d1')::jsonb) #>> '{uploaded_by,id}', 'ua-owner', 'documents-1.4: uploaded by the signed-in user');
SELECT is((SELECT count(*) FROM events WHERE type = 'document.created' AND entity_public_id = :'d1'),
    1::bigint, 'documents-1.5: one document.created event');
SELECT documents_create('group', :'g', format(
    '[{"blob_id": %s, "name": "copy.txt", "size": 6, "declared_type": "text/plain", "sniffed_type": "text/plain", "content_type": "text/plain"}]',
    :b1)::jsonb) -> 0 ->> 'id' AS d2 \gset
SELECT is((SELECT refs FROM document_blobs WHERE id = :b1), 2, 'documents-1.6: a second document on the same bytes: one blob, two references');
SELECT is((SELECT count(*) FROM document_blobs WHERE company_id = 901), 1::bigint,
    'documents-1.7: stored once per company');

-- A blob whose bytes are not all there makes no document.
SELECT blob_id AS b2 FROM document_blobs_claim(
    '[{"name": "c.txt", "size": 10, "sha256": "bb00000000000000000000000000000000000000000000000000000000000000"}]', 4) \gset
INSERT INTO document_chunks (blob_id, company_id, seq, data) VALUES (:b2, app_company_id(), 0, 'abcd');
SELECT throws_ok(format($$SELECT documents_create('client', %L, '[{"blob_id": %s, "name": "c.txt", "size": 10, "declared_type": "x/y", "sniffed_type": "x/y", "content_type": "x/y"}]')$$, :'ca', :b2),
    NULL, 'document bytes are incomplete', 'documents-1.8: a blob missing bytes makes no document');

-- The per-file limit.
SELECT throws_ok($$SELECT document_size_check('big.pdf', 26214401)$$, 'CD413', 'file is too large',
    'documents-2.1: over the default 25 MiB is a 413');
SELECT is(tap.err($$SELECT document_size_check('big.pdf', 26214401)$$) ->> 'detail',
    '"big.pdf" has 26214401 bytes; files may have at most 25 MiB (26214400 bytes).',
    'documents-2.2: naming the limit');
SELECT lives_ok($$SELECT document_size_check('ok.pdf', 26214400)$$, 'documents-2.3: (twin) the limit itself is allowed');
RESET ROLE;
UPDATE companies SET settings = settings || '{"document_max_size": 1024}' WHERE id = 901;
SET LOCAL ROLE clientd_app;
SELECT throws_ok($$SELECT document_size_check('k.pdf', 1025)$$, 'CD413', NULL,
    'documents-2.4: the company''s own limit');
SELECT is(document_size_text(1536), '1.5 KiB', 'documents-2.5: sizes read as people read them');

-- Rename, visibility, version.
SELECT is((document_update(:'d1', '{"name": "b.txt", "visible": true}', 1)::jsonb) ->> 'version', '2',
    'documents-3.1: a change makes a new version');
SELECT throws_ok(format($$SELECT document_update(%L, '{"name": "x"}', 1)$$, :'d1'), 'CD412', NULL,
    'documents-3.2: (twin) a stale version is refused');
SELECT is((document_update(:'d1', '{"name": "b.txt"}', NULL)::jsonb) ->> 'version', '2',
    'documents-3.3: no change, no new version');
SELECT is((SELECT count(*) FROM events WHERE type = 'document.updated' AND entity_public_id = :'d1'),
    1::bigint, 'documents-3.4: one document.updated event');

-- Scope and tenants.
SELECT tap.act('ua-own', 'own');
SELECT throws_ok(format('SELECT document_get(%L)', :'d1'), 'CD404', NULL,
    'documents-4.1: a member limited to own clients cannot see another''s client''s document');
SELECT lives_ok(format('SELECT document_get(%L)', :'d2'), 'documents-4.2: (twin) a group''s documents are everyone''s');
SELECT tap.act('ub-owner');
SELECT throws_ok(format('SELECT document_get(%L)', :'d1'), 'CD404', NULL,
    'documents-4.3: another company''s document is a 404');
SELECT is((SELECT count(*) FROM document_chunks), 0::bigint, 'documents-4.4: and its chunks are invisible');
SELECT blob_id AS b3, created FROM document_blobs_claim(
    '[{"name": "a.txt", "size": 6, "sha256": "aa00000000000000000000000000000000000000000000000000000000000000"}]', 4) \gset
SELECT ok(:'created', 'documents-4.5: the same bytes in another company are a blob of its own');
SELECT tap.act('ua-owner');

-- Downloads are recorded.
SELECT is((SELECT size FROM document_download(:'d1')), 6::bigint, 'documents-5.1: a download says what to send');
SELECT is((SELECT count(*) FROM events WHERE type = 'document.downloaded' AND entity_public_id = :'d1'),
    1::bigint, 'documents-5.2: and is in the activity');

-- The portal: the session's client's visible documents only.
SELECT set_config('app.portal_client_id', (SELECT id::text FROM clients WHERE public_id = :'ca'), true) AS pc \gset
SELECT is(json_array_length(portal_documents()), 1, 'documents-6.1: a contact sees its client''s visible document');
SELECT lives_ok(format('SELECT portal_document_find(%L)', :'d1'), 'documents-6.2: and downloads it');
SELECT throws_ok(format('SELECT portal_document_find(%L)', :'d2'), 'CD404', NULL,
    'documents-6.3: (twin) not a hidden group document');
SELECT set_config('app.portal_client_id', (SELECT id::text FROM clients WHERE public_id = :'cb'), true) AS pc \gset
SELECT throws_ok(format('SELECT portal_document_find(%L)', :'d1'), 'CD404', NULL,
    'documents-6.4: a contact of another client gets a 404');
SELECT throws_ok($$SELECT * FROM portal_document_upload_begin('[]', 4)$$, 'CD403', NULL,
    'documents-6.5: contacts upload only where the company allows it');

-- Delete: the blob goes with its last document.
SELECT document_delete(:'d1', NULL);
SELECT is((SELECT refs FROM document_blobs WHERE id = :b1), 1, 'documents-7.1: one reference less');
SELECT document_delete(:'d2', NULL);
SELECT is((SELECT count(*) FROM document_blobs WHERE id = :b1), 0::bigint,
    'documents-7.2: the last one takes the blob');
SELECT is((SELECT count(*) FROM document_chunks WHERE blob_id = :b1), 0::bigint,
    'documents-7.3: and its chunks');

SELECT * FROM finish();
ROLLBACK;
