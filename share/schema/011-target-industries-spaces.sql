-- 011-target-industries-spaces: score.target_industries is a list people
-- write "软件, 制造" as often as "软件,制造": the default model's rule
-- compares without the spaces (a rule someone changed is left as it is).
UPDATE score_rule SET expr = 'instr('','' || replace(replace(crm_config(''score.target_industries'', ''''), ''，'', '',''), '' '', '''') || '','', '','' || replace(industry, '' '', '''') || '','') > 0'
	WHERE model = 'default' AND name = 'target_industry'
	AND expr = 'instr('','' || replace(crm_config(''score.target_industries'', ''''), ''，'', '','') || '','', '','' || industry || '','') > 0';
