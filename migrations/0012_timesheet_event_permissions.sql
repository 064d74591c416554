-- Events recorded before every event type carried the permission of its record (issue 11):
-- timesheets, time entries and timers need timesheets.approve, invoices and customers
-- invoices.manage, and an approval event what its request approves.
UPDATE `domain_events` SET `permission` = 'timesheets.approve'
WHERE `permission` IS NULL AND (`subject_type` IN ('timesheet', 'time_entry', 'timer')
	OR `type` LIKE 'timesheet.%' OR `type` LIKE 'time_entry.%' OR `type` LIKE 'timer.%');
--> statement-breakpoint
UPDATE `domain_events` SET `permission` = 'invoices.manage'
WHERE `permission` IS NULL AND (`subject_type` IN ('invoice', 'customer')
	OR `type` LIKE 'invoice.%' OR `type` LIKE 'customer.%');
--> statement-breakpoint
UPDATE `domain_events` SET `permission` = CASE json_extract(`data`, '$.subjectType')
		WHEN 'timesheet' THEN 'timesheets.approve'
		WHEN 'invoice' THEN 'invoices.manage'
	END
WHERE `permission` IS NULL AND `type` LIKE 'approval.%'
	AND json_extract(`data`, '$.subjectType') IN ('timesheet', 'invoice');
