-- Keyword search over document chunks (FTS5, external content on document_chunks), kept by
-- triggers so that no write path can forget it. Vectors live in sqlite-vec tables made per
-- embedding model at run time (server/knowledge/vectors), since their width is the model's.
CREATE VIRTUAL TABLE `document_chunks_fts` USING fts5(heading, text, content = 'document_chunks', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `document_chunks_fts_insert` AFTER INSERT ON `document_chunks` BEGIN
	INSERT INTO document_chunks_fts (rowid, heading, text) VALUES (new.id, new.heading, new.text);
END;
--> statement-breakpoint
CREATE TRIGGER `document_chunks_fts_delete` AFTER DELETE ON `document_chunks` BEGIN
	INSERT INTO document_chunks_fts (document_chunks_fts, rowid, heading, text) VALUES ('delete', old.id, old.heading, old.text);
END;
--> statement-breakpoint
CREATE TRIGGER `document_chunks_fts_update` AFTER UPDATE OF `heading`, `text` ON `document_chunks` BEGIN
	INSERT INTO document_chunks_fts (document_chunks_fts, rowid, heading, text) VALUES ('delete', old.id, old.heading, old.text);
	INSERT INTO document_chunks_fts (rowid, heading, text) VALUES (new.id, new.heading, new.text);
END;
