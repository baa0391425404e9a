-- ---------------------------------------------------------------------------
-- 0013_reads: reading clients at the database's pace (issue 12).
--
-- The portal status staff see on a contact is read by the daemon's own
-- statements (the lists of clients join it instead of calling a function per
-- contact), as clientd_app, which may read password_set_at but not
-- password_hash: an account has a password exactly when it says since when.
-- ---------------------------------------------------------------------------

ALTER TABLE portal_accounts ADD CONSTRAINT portal_accounts_password_set
    CHECK ((password_hash IS NULL) = (password_set_at IS NULL));
