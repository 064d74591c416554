-- Backfill the running totals of 0013_summary_tables from what is there, then keep them up to date
-- with triggers, in the same transaction as every write (models/summaries.ts).
INSERT INTO `time_month_totals` (`org_id`, `month`, `project_key`, `user_id`, `entries`, `minutes`, `billable_minutes`)
  SELECT time_entries.org_id, substr(time_entries.date, 1, 7), coalesce(time_entries.project_id, ''), time_entries.user_id, count(*), sum(time_entries.minutes), sum(CASE WHEN time_entries.billable THEN time_entries.minutes ELSE 0 END)
  FROM `time_entries`
  GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
INSERT INTO `time_day_totals` (`org_id`, `day`, `project_key`, `user_id`, `entries`, `minutes`, `billable_minutes`)
  SELECT time_entries.org_id, time_entries.date, coalesce(time_entries.project_id, ''), time_entries.user_id, count(*), sum(time_entries.minutes), sum(CASE WHEN time_entries.billable THEN time_entries.minutes ELSE 0 END)
  FROM `time_entries`
  GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
INSERT INTO `invoice_month_totals` (`org_id`, `month`, `status`, `currency`, `invoices`, `total`)
  SELECT invoices.org_id, substr(invoices.issue_date, 1, 7), invoices.status, invoices.currency, count(*), sum(invoices.total)
  FROM `invoices`
  GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
INSERT INTO `invoice_day_totals` (`org_id`, `day`, `status`, `currency`, `invoices`, `total`)
  SELECT invoices.org_id, invoices.issue_date, invoices.status, invoices.currency, count(*), sum(invoices.total)
  FROM `invoices`
  GROUP BY 1, 2, 3, 4;
--> statement-breakpoint
INSERT INTO `task_completion_days` (`org_id`, `day`, `tasks`)
  SELECT tasks.org_id, CAST(tasks.completed_at / 86400000 AS INTEGER), count(*)
  FROM `tasks` WHERE tasks.status = 'done' AND tasks.completed_at IS NOT NULL
  GROUP BY 1, 2;
--> statement-breakpoint
INSERT INTO `project_task_counts` (`org_id`, `project_id`, `status`, `tasks`)
  SELECT tasks.org_id, tasks.project_id, tasks.status, count(*)
  FROM `tasks` WHERE tasks.project_id IS NOT NULL
  GROUP BY 1, 2, 3;
--> statement-breakpoint
CREATE TRIGGER `time_entries_totals_insert` AFTER INSERT ON `time_entries` BEGIN
  INSERT INTO `time_month_totals` (`org_id`, `month`, `project_key`, `user_id`, `entries`, `minutes`, `billable_minutes`)
    SELECT new.org_id, substr(new.date, 1, 7), coalesce(new.project_id, ''), new.user_id, 1, new.minutes, CASE WHEN new.billable THEN new.minutes ELSE 0 END WHERE true
    ON CONFLICT (`org_id`, `month`, `project_key`, `user_id`) DO UPDATE SET `entries` = `entries` + excluded.`entries`, `minutes` = `minutes` + excluded.`minutes`, `billable_minutes` = `billable_minutes` + excluded.`billable_minutes`;
  INSERT INTO `time_day_totals` (`org_id`, `day`, `project_key`, `user_id`, `entries`, `minutes`, `billable_minutes`)
    SELECT new.org_id, new.date, coalesce(new.project_id, ''), new.user_id, 1, new.minutes, CASE WHEN new.billable THEN new.minutes ELSE 0 END WHERE true
    ON CONFLICT (`org_id`, `day`, `project_key`, `user_id`) DO UPDATE SET `entries` = `entries` + excluded.`entries`, `minutes` = `minutes` + excluded.`minutes`, `billable_minutes` = `billable_minutes` + excluded.`billable_minutes`;
END;
--> statement-breakpoint
CREATE TRIGGER `time_entries_totals_delete` AFTER DELETE ON `time_entries` BEGIN
  UPDATE `time_month_totals` SET `entries` = `entries` - 1, `minutes` = `minutes` - (old.minutes), `billable_minutes` = `billable_minutes` - (CASE WHEN old.billable THEN old.minutes ELSE 0 END)
    WHERE `org_id` = old.org_id AND `month` = substr(old.date, 1, 7) AND `project_key` = coalesce(old.project_id, '') AND `user_id` = old.user_id;
  DELETE FROM `time_month_totals` WHERE `org_id` = old.org_id AND `month` = substr(old.date, 1, 7) AND `project_key` = coalesce(old.project_id, '') AND `user_id` = old.user_id AND `entries` = 0;
  UPDATE `time_day_totals` SET `entries` = `entries` - 1, `minutes` = `minutes` - (old.minutes), `billable_minutes` = `billable_minutes` - (CASE WHEN old.billable THEN old.minutes ELSE 0 END)
    WHERE `org_id` = old.org_id AND `day` = old.date AND `project_key` = coalesce(old.project_id, '') AND `user_id` = old.user_id;
  DELETE FROM `time_day_totals` WHERE `org_id` = old.org_id AND `day` = old.date AND `project_key` = coalesce(old.project_id, '') AND `user_id` = old.user_id AND `entries` = 0;
END;
--> statement-breakpoint
CREATE TRIGGER `time_entries_totals_update` AFTER UPDATE OF `org_id`, `date`, `project_id`, `user_id`, `minutes`, `billable` ON `time_entries`
  WHEN old.`org_id` IS NOT new.`org_id` OR old.`date` IS NOT new.`date` OR old.`project_id` IS NOT new.`project_id` OR old.`user_id` IS NOT new.`user_id` OR old.`minutes` IS NOT new.`minutes` OR old.`billable` IS NOT new.`billable` BEGIN
  UPDATE `time_month_totals` SET `entries` = `entries` - 1, `minutes` = `minutes` - (old.minutes), `billable_minutes` = `billable_minutes` - (CASE WHEN old.billable THEN old.minutes ELSE 0 END)
    WHERE `org_id` = old.org_id AND `month` = substr(old.date, 1, 7) AND `project_key` = coalesce(old.project_id, '') AND `user_id` = old.user_id;
  DELETE FROM `time_month_totals` WHERE `org_id` = old.org_id AND `month` = substr(old.date, 1, 7) AND `project_key` = coalesce(old.project_id, '') AND `user_id` = old.user_id AND `entries` = 0;
  UPDATE `time_day_totals` SET `entries` = `entries` - 1, `minutes` = `minutes` - (old.minutes), `billable_minutes` = `billable_minutes` - (CASE WHEN old.billable THEN old.minutes ELSE 0 END)
    WHERE `org_id` = old.org_id AND `day` = old.date AND `project_key` = coalesce(old.project_id, '') AND `user_id` = old.user_id;
  DELETE FROM `time_day_totals` WHERE `org_id` = old.org_id AND `day` = old.date AND `project_key` = coalesce(old.project_id, '') AND `user_id` = old.user_id AND `entries` = 0;
  INSERT INTO `time_month_totals` (`org_id`, `month`, `project_key`, `user_id`, `entries`, `minutes`, `billable_minutes`)
    SELECT new.org_id, substr(new.date, 1, 7), coalesce(new.project_id, ''), new.user_id, 1, new.minutes, CASE WHEN new.billable THEN new.minutes ELSE 0 END WHERE true
    ON CONFLICT (`org_id`, `month`, `project_key`, `user_id`) DO UPDATE SET `entries` = `entries` + excluded.`entries`, `minutes` = `minutes` + excluded.`minutes`, `billable_minutes` = `billable_minutes` + excluded.`billable_minutes`;
  INSERT INTO `time_day_totals` (`org_id`, `day`, `project_key`, `user_id`, `entries`, `minutes`, `billable_minutes`)
    SELECT new.org_id, new.date, coalesce(new.project_id, ''), new.user_id, 1, new.minutes, CASE WHEN new.billable THEN new.minutes ELSE 0 END WHERE true
    ON CONFLICT (`org_id`, `day`, `project_key`, `user_id`) DO UPDATE SET `entries` = `entries` + excluded.`entries`, `minutes` = `minutes` + excluded.`minutes`, `billable_minutes` = `billable_minutes` + excluded.`billable_minutes`;
END;
--> statement-breakpoint
CREATE TRIGGER `invoices_totals_insert` AFTER INSERT ON `invoices` BEGIN
  INSERT INTO `invoice_month_totals` (`org_id`, `month`, `status`, `currency`, `invoices`, `total`)
    SELECT new.org_id, substr(new.issue_date, 1, 7), new.status, new.currency, 1, new.total WHERE true
    ON CONFLICT (`org_id`, `month`, `status`, `currency`) DO UPDATE SET `invoices` = `invoices` + excluded.`invoices`, `total` = `total` + excluded.`total`;
  INSERT INTO `invoice_day_totals` (`org_id`, `day`, `status`, `currency`, `invoices`, `total`)
    SELECT new.org_id, new.issue_date, new.status, new.currency, 1, new.total WHERE true
    ON CONFLICT (`org_id`, `day`, `status`, `currency`) DO UPDATE SET `invoices` = `invoices` + excluded.`invoices`, `total` = `total` + excluded.`total`;
END;
--> statement-breakpoint
CREATE TRIGGER `invoices_totals_delete` AFTER DELETE ON `invoices` BEGIN
  UPDATE `invoice_month_totals` SET `invoices` = `invoices` - 1, `total` = `total` - (old.total)
    WHERE `org_id` = old.org_id AND `month` = substr(old.issue_date, 1, 7) AND `status` = old.status AND `currency` = old.currency;
  DELETE FROM `invoice_month_totals` WHERE `org_id` = old.org_id AND `month` = substr(old.issue_date, 1, 7) AND `status` = old.status AND `currency` = old.currency AND `invoices` = 0;
  UPDATE `invoice_day_totals` SET `invoices` = `invoices` - 1, `total` = `total` - (old.total)
    WHERE `org_id` = old.org_id AND `day` = old.issue_date AND `status` = old.status AND `currency` = old.currency;
  DELETE FROM `invoice_day_totals` WHERE `org_id` = old.org_id AND `day` = old.issue_date AND `status` = old.status AND `currency` = old.currency AND `invoices` = 0;
END;
--> statement-breakpoint
CREATE TRIGGER `invoices_totals_update` AFTER UPDATE OF `org_id`, `issue_date`, `status`, `currency`, `total` ON `invoices`
  WHEN old.`org_id` IS NOT new.`org_id` OR old.`issue_date` IS NOT new.`issue_date` OR old.`status` IS NOT new.`status` OR old.`currency` IS NOT new.`currency` OR old.`total` IS NOT new.`total` BEGIN
  UPDATE `invoice_month_totals` SET `invoices` = `invoices` - 1, `total` = `total` - (old.total)
    WHERE `org_id` = old.org_id AND `month` = substr(old.issue_date, 1, 7) AND `status` = old.status AND `currency` = old.currency;
  DELETE FROM `invoice_month_totals` WHERE `org_id` = old.org_id AND `month` = substr(old.issue_date, 1, 7) AND `status` = old.status AND `currency` = old.currency AND `invoices` = 0;
  UPDATE `invoice_day_totals` SET `invoices` = `invoices` - 1, `total` = `total` - (old.total)
    WHERE `org_id` = old.org_id AND `day` = old.issue_date AND `status` = old.status AND `currency` = old.currency;
  DELETE FROM `invoice_day_totals` WHERE `org_id` = old.org_id AND `day` = old.issue_date AND `status` = old.status AND `currency` = old.currency AND `invoices` = 0;
  INSERT INTO `invoice_month_totals` (`org_id`, `month`, `status`, `currency`, `invoices`, `total`)
    SELECT new.org_id, substr(new.issue_date, 1, 7), new.status, new.currency, 1, new.total WHERE true
    ON CONFLICT (`org_id`, `month`, `status`, `currency`) DO UPDATE SET `invoices` = `invoices` + excluded.`invoices`, `total` = `total` + excluded.`total`;
  INSERT INTO `invoice_day_totals` (`org_id`, `day`, `status`, `currency`, `invoices`, `total`)
    SELECT new.org_id, new.issue_date, new.status, new.currency, 1, new.total WHERE true
    ON CONFLICT (`org_id`, `day`, `status`, `currency`) DO UPDATE SET `invoices` = `invoices` + excluded.`invoices`, `total` = `total` + excluded.`total`;
END;
--> statement-breakpoint
CREATE TRIGGER `tasks_completion_days_insert` AFTER INSERT ON `tasks` BEGIN
  INSERT INTO `task_completion_days` (`org_id`, `day`, `tasks`)
    SELECT new.org_id, CAST(new.completed_at / 86400000 AS INTEGER), 1 WHERE new.status = 'done' AND new.completed_at IS NOT NULL
    ON CONFLICT (`org_id`, `day`) DO UPDATE SET `tasks` = `tasks` + excluded.`tasks`;
END;
--> statement-breakpoint
CREATE TRIGGER `tasks_completion_days_delete` AFTER DELETE ON `tasks` BEGIN
  UPDATE `task_completion_days` SET `tasks` = `tasks` - 1
    WHERE `org_id` = old.org_id AND `day` = CAST(old.completed_at / 86400000 AS INTEGER) AND old.status = 'done' AND old.completed_at IS NOT NULL;
  DELETE FROM `task_completion_days` WHERE `org_id` = old.org_id AND `day` = CAST(old.completed_at / 86400000 AS INTEGER) AND `tasks` = 0;
END;
--> statement-breakpoint
CREATE TRIGGER `tasks_completion_days_update` AFTER UPDATE OF `org_id`, `status`, `completed_at` ON `tasks`
  WHEN old.`org_id` IS NOT new.`org_id` OR old.`status` IS NOT new.`status` OR old.`completed_at` IS NOT new.`completed_at` BEGIN
  UPDATE `task_completion_days` SET `tasks` = `tasks` - 1
    WHERE `org_id` = old.org_id AND `day` = CAST(old.completed_at / 86400000 AS INTEGER) AND old.status = 'done' AND old.completed_at IS NOT NULL;
  DELETE FROM `task_completion_days` WHERE `org_id` = old.org_id AND `day` = CAST(old.completed_at / 86400000 AS INTEGER) AND `tasks` = 0;
  INSERT INTO `task_completion_days` (`org_id`, `day`, `tasks`)
    SELECT new.org_id, CAST(new.completed_at / 86400000 AS INTEGER), 1 WHERE new.status = 'done' AND new.completed_at IS NOT NULL
    ON CONFLICT (`org_id`, `day`) DO UPDATE SET `tasks` = `tasks` + excluded.`tasks`;
END;
--> statement-breakpoint
CREATE TRIGGER `tasks_project_counts_insert` AFTER INSERT ON `tasks` BEGIN
  INSERT INTO `project_task_counts` (`org_id`, `project_id`, `status`, `tasks`)
    SELECT new.org_id, new.project_id, new.status, 1 WHERE new.project_id IS NOT NULL
    ON CONFLICT (`org_id`, `project_id`, `status`) DO UPDATE SET `tasks` = `tasks` + excluded.`tasks`;
END;
--> statement-breakpoint
CREATE TRIGGER `tasks_project_counts_delete` AFTER DELETE ON `tasks` BEGIN
  UPDATE `project_task_counts` SET `tasks` = `tasks` - 1
    WHERE `org_id` = old.org_id AND `project_id` = old.project_id AND `status` = old.status AND old.project_id IS NOT NULL;
  DELETE FROM `project_task_counts` WHERE `org_id` = old.org_id AND `project_id` = old.project_id AND `status` = old.status AND `tasks` = 0;
END;
--> statement-breakpoint
CREATE TRIGGER `tasks_project_counts_update` AFTER UPDATE OF `org_id`, `project_id`, `status` ON `tasks`
  WHEN old.`org_id` IS NOT new.`org_id` OR old.`project_id` IS NOT new.`project_id` OR old.`status` IS NOT new.`status` BEGIN
  UPDATE `project_task_counts` SET `tasks` = `tasks` - 1
    WHERE `org_id` = old.org_id AND `project_id` = old.project_id AND `status` = old.status AND old.project_id IS NOT NULL;
  DELETE FROM `project_task_counts` WHERE `org_id` = old.org_id AND `project_id` = old.project_id AND `status` = old.status AND `tasks` = 0;
  INSERT INTO `project_task_counts` (`org_id`, `project_id`, `status`, `tasks`)
    SELECT new.org_id, new.project_id, new.status, 1 WHERE new.project_id IS NOT NULL
    ON CONFLICT (`org_id`, `project_id`, `status`) DO UPDATE SET `tasks` = `tasks` + excluded.`tasks`;
END;
