/* contact.c: crm contact add|list|show|update|rm */
#include "records.h"

RECORD_HANDLERS(contact)

static const struct opt add_opts[] = {
	ADD_OPTS,
	{ "name", 0, "NAME", "the person's name", false },
	{ "phone", 0, "PHONE", "phone", false },
	{ "email", 0, "EMAIL", "email address", false },
	{ "account_id", 0, "ID", "the account the contact belongs to", false },
	{ "owner", 0, "USER", "the rep who owns it", false },
	{ "tag", 0, "TAG", "a tag", true },
	OPT_END
};

static const struct cmd_verb contact_verbs[] = {
	RECORD_VERBS_FLAGS(contact, add_opts, rec_list_opts, rec_rm_opts, VERB_SERVER),
	{ NULL }
};

const struct cmd_entry cmd_contact_entry = {
	.name = "contact",
	.summary = "contacts: people at accounts",
	.verbs = contact_verbs,
	.description = "Contact fields: name (required), title, phone, email, wechat, birthday (date),\n"
		       "account_id, decision_role, owner, source, tags, note, last_contacted_at, plus\n"
		       "custom fields. A contact belongs to at most one account.",
};
