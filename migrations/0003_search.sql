-- Global search (FTS5) over projects, tasks, customers, invoices and equipment, kept by triggers
-- so that no write path can forget it. search_docs maps each row to a stable FTS rowid.
CREATE TABLE `search_docs` (
	`rowid` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`org_id` text NOT NULL REFERENCES `organizations`(`id`) ON DELETE cascade,
	`kind` text NOT NULL,
	`ref_id` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `search_docs_ref_unique` ON `search_docs` (`ref_id`);
--> statement-breakpoint
CREATE INDEX `search_docs_org_idx` ON `search_docs` (`org_id`);
--> statement-breakpoint
CREATE VIRTUAL TABLE `search_index` USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3');

--> statement-breakpoint
CREATE TRIGGER `projects_search_insert` AFTER INSERT ON `projects` BEGIN
	INSERT INTO search_docs (org_id, kind, ref_id) VALUES (new.org_id, 'project', new.id);
	INSERT INTO search_index (rowid, title, body) VALUES ((SELECT rowid FROM search_docs WHERE ref_id = new.id), new.code || ' ' || new.name, new.description);
END;
--> statement-breakpoint
CREATE TRIGGER `projects_search_update` AFTER UPDATE OF `name`, `code`, `description` ON `projects` BEGIN
	UPDATE search_index SET title = new.code || ' ' || new.name, body = new.description WHERE rowid = (SELECT rowid FROM search_docs WHERE ref_id = new.id);
END;
--> statement-breakpoint
CREATE TRIGGER `projects_search_delete` AFTER DELETE ON `projects` BEGIN
	DELETE FROM search_index WHERE rowid = (SELECT rowid FROM search_docs WHERE ref_id = old.id);
	DELETE FROM search_docs WHERE ref_id = old.id;
END;
--> statement-breakpoint
CREATE TRIGGER `tasks_search_insert` AFTER INSERT ON `tasks` BEGIN
	INSERT INTO search_docs (org_id, kind, ref_id) VALUES (new.org_id, 'task', new.id);
	INSERT INTO search_index (rowid, title, body) VALUES ((SELECT rowid FROM search_docs WHERE ref_id = new.id), new.title, new.description || ' ' || new.labels);
END;
--> statement-breakpoint
CREATE TRIGGER `tasks_search_update` AFTER UPDATE OF `title`, `description`, `labels` ON `tasks` BEGIN
	UPDATE search_index SET title = new.title, body = new.description || ' ' || new.labels WHERE rowid = (SELECT rowid FROM search_docs WHERE ref_id = new.id);
END;
--> statement-breakpoint
CREATE TRIGGER `tasks_search_delete` AFTER DELETE ON `tasks` BEGIN
	DELETE FROM search_index WHERE rowid = (SELECT rowid FROM search_docs WHERE ref_id = old.id);
	DELETE FROM search_docs WHERE ref_id = old.id;
END;
--> statement-breakpoint
CREATE TRIGGER `customers_search_insert` AFTER INSERT ON `customers` BEGIN
	INSERT INTO search_docs (org_id, kind, ref_id) VALUES (new.org_id, 'customer', new.id);
	INSERT INTO search_index (rowid, title, body) VALUES ((SELECT rowid FROM search_docs WHERE ref_id = new.id), new.name, coalesce(new.email, '') || ' ' || new.tax_id || ' ' || new.notes);
END;
--> statement-breakpoint
CREATE TRIGGER `customers_search_update` AFTER UPDATE OF `name`, `email`, `tax_id`, `notes` ON `customers` BEGIN
	UPDATE search_index SET title = new.name, body = coalesce(new.email, '') || ' ' || new.tax_id || ' ' || new.notes WHERE rowid = (SELECT rowid FROM search_docs WHERE ref_id = new.id);
END;
--> statement-breakpoint
CREATE TRIGGER `customers_search_delete` AFTER DELETE ON `customers` BEGIN
	DELETE FROM search_index WHERE rowid = (SELECT rowid FROM search_docs WHERE ref_id = old.id);
	DELETE FROM search_docs WHERE ref_id = old.id;
END;
--> statement-breakpoint
CREATE TRIGGER `invoices_search_insert` AFTER INSERT ON `invoices` BEGIN
	INSERT INTO search_docs (org_id, kind, ref_id) VALUES (new.org_id, 'invoice', new.id);
	INSERT INTO search_index (rowid, title, body) VALUES ((SELECT rowid FROM search_docs WHERE ref_id = new.id), new.number || ' ' || coalesce((SELECT name FROM customers WHERE id = new.customer_id), ''), new.notes);
END;
--> statement-breakpoint
CREATE TRIGGER `invoices_search_update` AFTER UPDATE OF `number`, `customer_id`, `notes` ON `invoices` BEGIN
	UPDATE search_index SET title = new.number || ' ' || coalesce((SELECT name FROM customers WHERE id = new.customer_id), ''), body = new.notes WHERE rowid = (SELECT rowid FROM search_docs WHERE ref_id = new.id);
END;
--> statement-breakpoint
CREATE TRIGGER `invoices_search_delete` AFTER DELETE ON `invoices` BEGIN
	DELETE FROM search_index WHERE rowid = (SELECT rowid FROM search_docs WHERE ref_id = old.id);
	DELETE FROM search_docs WHERE ref_id = old.id;
END;
--> statement-breakpoint
CREATE TRIGGER `equipment_search_insert` AFTER INSERT ON `equipment` BEGIN
	INSERT INTO search_docs (org_id, kind, ref_id) VALUES (new.org_id, 'equipment', new.id);
	INSERT INTO search_index (rowid, title, body) VALUES ((SELECT rowid FROM search_docs WHERE ref_id = new.id), new.name, new.type || ' ' || new.manufacturer || ' ' || new.model || ' ' || new.serial_number || ' ' || new.location || ' ' || new.notes);
END;
--> statement-breakpoint
CREATE TRIGGER `equipment_search_update` AFTER UPDATE OF `name`, `type`, `manufacturer`, `model`, `serial_number`, `location`, `notes` ON `equipment` BEGIN
	UPDATE search_index SET title = new.name, body = new.type || ' ' || new.manufacturer || ' ' || new.model || ' ' || new.serial_number || ' ' || new.location || ' ' || new.notes WHERE rowid = (SELECT rowid FROM search_docs WHERE ref_id = new.id);
END;
--> statement-breakpoint
CREATE TRIGGER `equipment_search_delete` AFTER DELETE ON `equipment` BEGIN
	DELETE FROM search_index WHERE rowid = (SELECT rowid FROM search_docs WHERE ref_id = old.id);
	DELETE FROM search_docs WHERE ref_id = old.id;
END;
--> statement-breakpoint
CREATE TRIGGER `customers_search_rename_invoices` AFTER UPDATE OF `name` ON `customers` BEGIN
	UPDATE search_index SET title = (SELECT i.number || ' ' || new.name FROM search_docs d JOIN invoices i ON i.id = d.ref_id WHERE d.rowid = search_index.rowid)
	WHERE rowid IN (SELECT d.rowid FROM search_docs d JOIN invoices i ON i.id = d.ref_id WHERE i.customer_id = new.id);
END;
