/* quote.c: crm quote add|list|show|update|rm|send|accept|reject|revise|print
 * and crm quote line add|list|update|rm */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cash/print.h"
#include "cash/quote.h"
#include "core/input.h"
#include "core/query.h"
#include "io/fs.h"
#include "io/out.h"
#include "records.h"

static int quote_list_exec(struct crm *c, struct args *a) { return rec_list(c, a, "quote"); }
static int quote_update_exec(struct crm *c, struct args *a) { return rec_update(c, a, "quote"); }
static int quote_rm_exec(struct crm *c, struct args *a) { return rec_rm(c, a, "quote"); }

static int quote_add_exec(struct crm *c, struct args *a)
{
	static const char *const map[] = { "deal", "deal_id", "valid-until", "valid_until", "discount", "discount",
					   NULL };
	return rec_add_map(c, a, "quote", map, 0);
}

static int show_one(struct crm *c, const struct type *t, long long id, const cJSON *line, void *arg)
{
	return quote_show(c, id);
}

static int quote_show_exec(struct crm *c, struct args *a)
{
	/* on a terminal every field it has, one a line, as every show prints;
	 * its lines after it the same way */
	if (c->format == OUT_TABLE)
		out_vertical(c->out);
	else
		rec_columns(c, type_find(c, "quote"));
	return input_each(c, a->argc, a->argv, "quote", show_one, NULL);
}

/* send, accept, reject, revise: one quote at a time */
static int send_one(struct crm *c, long long id, const struct args *a) { return quote_send(c, id); }
static int accept_one(struct crm *c, long long id, const struct args *a) { return quote_accept(c, id); }
static int reject_one(struct crm *c, long long id, const struct args *a) { return quote_reject(c, id); }
static int revise_one(struct crm *c, long long id, const struct args *a) { return quote_revise(c, id); }
static int send_exec(struct crm *c, struct args *a) { return rec_each(c, a, "quote", send_one); }
static int accept_exec(struct crm *c, struct args *a) { return rec_each(c, a, "quote", accept_one); }
static int reject_exec(struct crm *c, struct args *a) { return rec_each(c, a, "quote", reject_one); }
static int revise_exec(struct crm *c, struct args *a) { return rec_each(c, a, "quote", revise_one); }

static long long id_arg(struct crm *c, const char *what, const char *s)
{
	char *end;
	errno = 0;
	long long id = strtoll(s, &end, 10);
	if (end == s || *end || id <= 0 || errno) {
		cmd_usage_error(c, "%s: '%s' is not an id", what, s);
		return -1;
	}
	return id;
}

static int print_exec(struct crm *c, struct args *a)
{
	const char *fmt = arg_get(a, "format"), *file = arg_get(a, "output");
	if (fmt && strcmp(fmt, "html") && strcmp(fmt, "txt") && strcmp(fmt, "text"))
		return cmd_usage_error(c, "--format: '%s' is not html or txt", fmt);
	bool html = fmt ? !strcmp(fmt, "html") : file && strlen(file) > 5 && !strcmp(file + strlen(file) - 5, ".html");
	long long id = id_arg(c, "QUOTE", a->argv[0]);
	if (id < 0)
		return CRM_USAGE;
	char *doc;
	int rc = quote_print(c, id, html, &doc);
	if (rc)
		return rc;
	if (file) {
		/* as export and dashboard -o: a new file (0600) renamed over
		 * FILE when whole, so a failure leaves FILE as it was */
		char *tmp;
		int fd = fs_temp_beside(file, &tmp);
		FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
		if (!fp) {
			rc = crm_error(c, CRM_USAGE, "-o: cannot write %s: %s", file, strerror(errno));
			if (fd >= 0) {
				close(fd);
				unlink(tmp);
			}
		} else {
			fputs(doc, fp);
			if (fclose(fp) != 0 || fs_commit(tmp, file, 1) != 0) {
				rc = crm_error(c, CRM_DBERR, "cannot write %s: %s", file, strerror(errno));
				unlink(tmp);
			}
		}
		free(tmp);
	} else {
		fputs(doc, stdout);
	}
	free(doc);
	return rc;
}

/* ---- lines ---- */

struct line_add {
	const char *product;
	const cJSON *fields;
};

static int line_add_one(struct crm *c, const struct type *t, long long id, const cJSON *line, void *arg)
{
	const struct line_add *la = arg;
	return quote_line_add(c, id, la->product, la->fields);
}

/* QUOTE, or with none and stdin not a terminal, each quote on it: crm
 * quote add --deal 7 | crm quote line add --product ENT --qty 2 */
static int line_add_exec(struct crm *c, struct args *a)
{
	bool given = a->argc && !strchr(a->argv[0], '=');
	long long q = 0;
	if (given && (q = id_arg(c, "QUOTE", a->argv[0])) < 0)
		return CRM_USAGE;
	if (!given && !input_piped())
		return cmd_usage_error(c, "missing argument: the QUOTE to add a line to (or quotes as JSON lines on "
				       "stdin)");
	cJSON *fields;
	char **rest;
	int nrest;
	int rc = kv_parse(c, a->argc - given, a->argv + given, &fields, &rest, &nrest);
	if (rc)
		return rc;
	if (nrest) {
		rc = cmd_usage_error(c, "'%s' is not a field=value pair", rest[0]);
	} else {
		static const char *const opts[] = { "qty", "price", "discount", NULL };
		if (!fields)
			fields = cJSON_CreateObject();
		for (int i = 0; opts[i]; i++)
			if (arg_get(a, opts[i])) {
				cJSON_DeleteItemFromObjectCaseSensitive(fields, opts[i]);
				cJSON_AddStringToObject(fields, opts[i], arg_get(a, opts[i]));
			}
		rec_columns(c, type_find(c, "quote_line"));
		struct line_add la = { arg_get(a, "product"), fields };
		rc = given ? quote_line_add(c, q, la.product, fields) : input_each(c, 0, NULL, "quote", line_add_one, &la);
	}
	cJSON_Delete(fields);
	free(rest);
	return rc;
}

static int line_rm_exec(struct crm *c, struct args *a)
{
	long long q = id_arg(c, "QUOTE", a->argv[0]), n = q < 0 ? -1 : id_arg(c, "LINE_NO", a->argv[1]);
	if (q < 0 || n < 0)
		return CRM_USAGE;
	rec_columns(c, type_find(c, "quote_line"));
	return quote_line_remove(c, q, n);
}

static int line_update_exec(struct crm *c, struct args *a)
{
	long long q = id_arg(c, "QUOTE", a->argv[0]), n = q < 0 ? -1 : id_arg(c, "LINE_NO", a->argv[1]);
	if (q < 0 || n < 0)
		return CRM_USAGE;
	cJSON *fields;
	char **rest;
	int nrest;
	int rc = kv_parse(c, a->argc - 2, a->argv + 2, &fields, &rest, &nrest);
	if (rc)
		return rc;
	long long id;
	if (nrest)
		rc = cmd_usage_error(c, "'%s' is not a field=value pair", rest[0]);
	else if (!fields)
		rc = cmd_usage_error(c, "nothing to change: give field=value pairs");
	else if (!(rc = quote_line_find(c, q, n, &id))) {
		const struct type *t = type_find(c, "quote_line");
		rec_columns(c, t);
		rc = record_update(c, t, id, fields, 0);
		if (!rc)
			rc = record_print(c, t, id);
	}
	cJSON_Delete(fields);
	free(rest);
	return rc;
}

static int line_list_exec(struct crm *c, struct args *a)
{
	struct query q;
	if (query_from_args(c, a, &q))
		return c->errcode;
	char *where = NULL;
	if (a->argc) {
		long long quote = id_arg(c, "QUOTE", a->argv[0]);
		if (quote < 0)
			return CRM_USAGE;
		where = xasprintf("quote_id = %lld", quote);
		q.filter = where;
	}
	if (!q.sort)
		q.sort = "quote_id,line_no";
	const struct type *t = type_find(c, "quote_line");
	rec_columns(c, t);
	int rc = query_list(c, t, &q);
	free(where);
	return rc;
}

static const struct opt add_opts[] = {
	ADD_OPTS,
	{ "deal", 0, "ID", "the deal it is for (its account and currency follow)", false },
	{ "valid-until", 0, "DATE", "the last day the offer holds (from the next day it is expired)", false },
	{ "discount", 0, "PCT", "a discount on the whole quote, in percent (10 = 10% off)", false },
	{ "owner", 0, "USER", "who owns it (default: the deal's owner)", false },
	{ "tag", 0, "TAG", "a tag", true },
	OPT_END
};

static const struct opt print_opts[] = {
	{ "format", 0, "html|txt", "html: one self-contained page that prints on A4; txt (default)", false },
	{ "output", 'o', "FILE", "write it to FILE (0600) instead of stdout; FILE.html means --format html", false },
	OPT_END
};

static const struct opt line_add_opts[] = {
	{ "product", 'p', "SKU|ID", "the product: its name, unit, price and tax rate are copied unless given", false },
	{ "qty", 0, "N", "quantity, up to 3 decimals (default 1)", false },
	{ "price", 0, "PRICE", "unit price (default: the product's)", false },
	{ "discount", 0, "PCT", "the line's discount in percent", false },
	OPT_END
};

static const struct opt line_list_opts[] = {
	LIST_OPTS,
	OPT_END
};

static const struct cmd_verb quote_verbs[] = {
	{ "add", "--deal ID [--valid-until D] [--discount PCT] [FIELD=VALUE ...]",
	  "add a draft quote for a deal (number Q-YYYY-NNNN unless given)",
	  add_opts, DB_WRITE, 0, -1, quote_add_exec, VERB_SERVER },
	{ "list", "[--where EXPR] [--owner U] [--status S] [--since D] [--sort F] [--limit N]",
	  "list quotes matching the filters (exit 1 if none)",
	  rec_list_opts, DB_READ, 0, 0, quote_list_exec, VERB_SERVER },
	{ "show", "[ID ...]", "print quotes by id (or JSON lines on stdin), each followed by its lines",
	  NULL, DB_READ, 0, -1, quote_show_exec, VERB_SERVER },
	{ "update", "[ID ...] FIELD=VALUE ...", "change fields of draft quotes (ids, or JSON lines on stdin)",
	  add_opts, DB_WRITE, 1, -1, quote_update_exec, VERB_SERVER },
	{ "rm", "[--purge] [ID ...]",
	  "remove quotes no live contract was made from (crm restore brings them back unless --purge)",
	  rec_rm_opts, DB_WRITE, 0, -1, quote_rm_exec, VERB_SERVER },
	{ "send", "[ID ...]", "send draft quotes (a discount over approval.discount_over needs an approval first)",
	  NULL, DB_WRITE, 0, -1, send_exec, VERB_SERVER },
	{ "accept", "[ID ...]", "the customer accepted: the deal's amount becomes the quote's total",
	  NULL, DB_WRITE, 0, -1, accept_exec, VERB_SERVER },
	{ "reject", "[ID ...]", "the customer rejected a sent quote", NULL, DB_WRITE, 0, -1, reject_exec, VERB_SERVER },
	{ "revise", "[ID ...]", "copy a sent, rejected or expired quote as a new draft (version + 1); the old one "
	  "is superseded", NULL, DB_WRITE, 0, -1, revise_exec, VERB_SERVER },
	{ "print", "ID [--format html|txt] [-o FILE]", "the quote as a document for the customer (报价单)",
	  print_opts, DB_READ, 1, 1, print_exec, VERB_SERVER },
	{ "line add", "[QUOTE] --product SKU|ID [--qty N] [--price P] [--discount PCT] [FIELD=VALUE ...]",
	  "add a line to a draft quote (or to each quote piped in as JSON lines)", line_add_opts, DB_WRITE, 0, -1,
	  line_add_exec, VERB_SERVER },
	{ "line list", "[QUOTE] [--where EXPR] [--sort F]", "list quote lines (of one quote)", line_list_opts,
	  DB_READ, 0, 1, line_list_exec, VERB_SERVER },
	{ "line update", "QUOTE LINE_NO FIELD=VALUE ...", "change a line of a draft quote", NULL, DB_WRITE, 3, -1,
	  line_update_exec, VERB_SERVER },
	{ "line rm", "QUOTE LINE_NO", "remove a line from a draft quote",
	  NULL, DB_WRITE, 2, 2, line_rm_exec, VERB_SERVER },
	{ NULL }
};

const struct cmd_entry cmd_quote_entry = {
	.name = "quote",
	.summary = "quotes and their lines (报价): draft, sent, accepted, rejected, expired",
	.verbs = quote_verbs,
	.description = "A quote belongs to a deal (and its account, currency and owner). Its lines copy\n"
		       "a product's name, unit, price and tax rate unless given. Amounts are exact,\n"
		       "in minor units, rounded half up at each step:\n"
		       "  net = round(qty x price x (100 - line discount) / 100)\n"
		       "  net = round(net x (100 - quote discount) / 100)\n"
		       "Prices include tax unless config tax.included is false (kept per quote):\n"
		       "  included: untaxed = round(net x 100 / (100 + rate)), tax = net - untaxed\n"
		       "  excluded: tax = round(net x rate / 100), the line's total is net + tax.\n"
		       "A quote shows amount_untaxed, amount_tax and amount_total, the sums of its\n"
		       "lines (quote_line records with the same keys, after it in quote show).\n"
		       "Status: draft -> sent -> accepted | rejected | expired (a sent quote past\n"
		       "valid_until reads expired from the next day; crm automate tick fires\n"
		       "quote.expired). Only a draft can be edited (exit 4), lines too (tags, note\n"
		       "and owner change in any status). send needs an\n"
		       "approval (exit 4 until crm approve quote:ID) when the quote's or a line's\n"
		       "discount is over config approval.discount_over (percent; steps: config\n"
		       "approval.quote.steps, default manager). accept sets the deal's amount to the\n"
		       "total. revise makes version + 1 as a draft (number Q-...-v2) and marks the\n"
		       "old one superseded. Events: quote.sent, quote.accepted, quote.expired.\n"
		       "print: the company (config company.name, company.address, company.phone,\n"
		       "company.tax_number), the customer, the whole quote's discount (整单折扣,\n"
		       "already in the lines' amounts), the lines, the totals and the total in\n"
		       "capital numerals (壹拾贰万叁仟肆佰伍拾陆元柒角捌分).",
};
