-- Every existing account's home is the organisation it joined first (its oldest membership).
UPDATE `users` SET `home_org_id` = (
	SELECT `m`.`org_id` FROM `memberships` AS `m`
	WHERE `m`.`user_id` = `users`.`id`
	ORDER BY `m`.`created_at`, `m`.`id`
	LIMIT 1
)
WHERE `home_org_id` IS NULL;
