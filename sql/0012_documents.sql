-- ---------------------------------------------------------------------------
-- 0012_documents: files kept for a client or a group (issue 14). The
-- functions: sql/functions/documents.sql.
--
-- A file's bytes are a blob: content-addressed by SHA-256 within one
-- company (the same bytes uploaded twice, to any client or group of the
-- company, are stored once; another company's identical file is a blob of
-- its own), stored in rows of at most 512 KiB (document_chunks), so that
-- neither an upload nor a download ever holds a whole file. A blob counts
-- the documents that use it (refs) and goes in the transaction that drops
-- its last one. An upload writes its chunks, its blob and its documents in
-- one transaction: a daemon that dies in the middle leaves nothing.
-- ---------------------------------------------------------------------------

CREATE TABLE document_blobs (
	id		bigserial PRIMARY KEY,
	company_id	bigint NOT NULL REFERENCES companies ON DELETE CASCADE,
	sha256		bytea NOT NULL CHECK (length(sha256) = 32),
	size		bigint NOT NULL CHECK (size >= 0),
	chunk_size	int NOT NULL CHECK (chunk_size > 0),
	refs		int NOT NULL DEFAULT 1 CHECK (refs >= 0),
	created_at	timestamptz NOT NULL DEFAULT now(),
	UNIQUE (company_id, sha256)
);

CREATE TABLE document_chunks (
	blob_id		bigint NOT NULL REFERENCES document_blobs ON DELETE CASCADE,
	company_id	bigint NOT NULL REFERENCES companies ON DELETE CASCADE,
	seq		int NOT NULL CHECK (seq >= 0),
	data		bytea NOT NULL,
	PRIMARY KEY (blob_id, seq)
);
-- Stored as they come, not compressed: most documents are compressed
-- already (PDF, images, office files), and a range is read as a slice of
-- the value without decompressing it whole.
ALTER TABLE document_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

CREATE TABLE documents (
	id		bigserial PRIMARY KEY,
	public_id	text NOT NULL UNIQUE DEFAULT new_public_id(),
	company_id	bigint NOT NULL REFERENCES companies ON DELETE CASCADE,
	blob_id		bigint NOT NULL REFERENCES document_blobs,
	client_id	bigint REFERENCES clients ON DELETE CASCADE,
	group_id	bigint REFERENCES client_groups ON DELETE CASCADE,
	name		text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
	declared_type	text NOT NULL,	-- the upload's Content-Type
	sniffed_type	text NOT NULL,	-- what the first bytes say
	content_type	text NOT NULL,	-- served
	size		bigint NOT NULL CHECK (size >= 0),
	visible		boolean NOT NULL DEFAULT false,	-- to the client's contacts
	uploader_type	text NOT NULL CHECK (uploader_type IN ('user', 'contact')),
	uploader_id	text NOT NULL,	-- the user's or contact's public id
	uploader_name	text NOT NULL DEFAULT '',
	version		integer NOT NULL DEFAULT 1,
	created_at	timestamptz NOT NULL DEFAULT now(),
	updated_at	timestamptz NOT NULL DEFAULT now(),
	CHECK ((client_id IS NULL) <> (group_id IS NULL))
);
CREATE INDEX documents_company_idx ON documents (company_id, created_at, public_id);
CREATE INDEX documents_client_idx ON documents (client_id, created_at) WHERE client_id IS NOT NULL;
CREATE INDEX documents_group_idx ON documents (group_id, created_at) WHERE group_id IS NOT NULL;
CREATE INDEX documents_blob_idx ON documents (blob_id);

-- ---------------------------------------------------------------------------
-- Security (the policies: sql/functions/tenancy.sql).
-- ---------------------------------------------------------------------------

ALTER TABLE document_blobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE document_chunks ENABLE ROW LEVEL SECURITY;
ALTER TABLE documents ENABLE ROW LEVEL SECURITY;

GRANT SELECT, INSERT, UPDATE, DELETE ON document_blobs, documents TO clientd_app;
GRANT SELECT, INSERT ON document_chunks TO clientd_app;
GRANT USAGE ON SEQUENCE document_blobs_id_seq, documents_id_seq TO clientd_app;
