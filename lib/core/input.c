/* input.c: fields from arguments, records from arguments or stdin. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/cmd.h"
#include "core/db.h"
#include "core/hook.h"
#include "core/input.h"
#include "io/jsonl.h"
#include "io/out.h"
#include "base/text.h"

bool input_piped(void)
{
	/* A terminal is a person; /dev/null (a test harness, cron, nohup) is
	 * nobody: neither is input to read records from. */
	struct stat sb;
	if (isatty(STDIN_FILENO))
		return false;
	return fstat(STDIN_FILENO, &sb) != 0 || !S_ISCHR(sb.st_mode);
}

static bool key_ok(const char *k, size_t n)
{
	if (!n || !(isalpha((unsigned char)k[0]) || k[0] == '_'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!(isalnum((unsigned char)k[i]) || k[i] == '_'))
			return false;
	return true;
}

int kv_parse(struct crm *c, int argc, char **argv, cJSON **fields, char ***rest, int *nrest)
{
	*fields = NULL;
	*rest = xcalloc(argc + 1, sizeof(char *));
	*nrest = 0;
	for (int i = 0; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		if (!eq) {
			(*rest)[(*nrest)++] = argv[i];
			continue;
		}
		size_t n = (size_t)(eq - argv[i]);
		if (!key_ok(argv[i], n)) {
			cJSON_Delete(*fields);
			*fields = NULL;
			free(*rest);
			*rest = NULL;
			return cmd_usage_error(c, "'%s' is not a field=value pair", argv[i]);
		}
		if (!*fields)
			*fields = cJSON_CreateObject();
		char *key = xstrndup(argv[i], n);
		cJSON_DeleteItemFromObjectCaseSensitive(*fields, key);
		cJSON_AddStringToObject(*fields, key, eq + 1);
		free(key);
	}
	return CRM_OK;
}

/* One id from a JSON line: {"id":N} or {"type":"lead","id":N}. */
static int line_target(struct crm *c, const cJSON *obj, const char *dflt_type, long lineno,
		       const struct type **t, long long *id)
{
	const cJSON *jt = cJSON_GetObjectItemCaseSensitive(obj, "type");
	const cJSON *ji = cJSON_GetObjectItemCaseSensitive(obj, "id");
	const char *tn = cJSON_IsString(jt) ? jt->valuestring : NULL;
	if (!cJSON_IsNumber(ji) || ji->valuedouble < 1 || ji->valuedouble != (double)(long long)ji->valuedouble)
		return crm_error(c, CRM_BADINPUT, "line %ld: no record id", lineno);
	if (dflt_type && tn && strcmp(tn, dflt_type) && !type_find(c, dflt_type))
		return crm_error(c, CRM_BADINPUT, "line %ld: unknown type '%s'", lineno, dflt_type);
	const struct type *want = dflt_type ? type_find(c, dflt_type) : NULL;
	const struct type *got = tn ? type_find(c, tn) : NULL;
	if (tn && !got && want) {
		/* not a record but about one (an approval's deal_id): that one */
		char *key = xasprintf("%s_id", want->name);
		const cJSON *ref = cJSON_GetObjectItemCaseSensitive(obj, key);
		free(key);
		if (cJSON_IsNumber(ref) && ref->valuedouble >= 1) {
			*t = want;
			*id = (long long)ref->valuedouble;
			return CRM_OK;
		}
	}
	if (tn && !got)
		return crm_error(c, CRM_BADINPUT, "line %ld: '%s' is not a record type", lineno, tn);
	const struct field *about = want && got && want != got ? type_field_flagged(got, FF_ABOUT) : NULL;
	if (about) {
		/* a record about one of the type wanted (an approval's deal:7,
		 * an event's lead): that one */
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, about->name);
		const struct type *at = NULL;
		long long aid = 0;
		if (about->kind == FK_ENTITY && cJSON_IsString(v) && strchr(v->valuestring, ':')
		    && entity_parse(c, v->valuestring, NULL, &at, &aid) == CRM_OK && at == want) {
			*t = want;
			*id = aid;
			return CRM_OK;
		}
		c->errmsg[0] = 0;
		if (about->kind == FK_REF && about->ref && !strcmp(about->ref, want->name) && cJSON_IsNumber(v)
		    && v->valuedouble >= 1) {
			*t = want;
			*id = (long long)v->valuedouble;
			return CRM_OK;
		}
	}
	if (want && got && want != got)
		return crm_error(c, CRM_BADINPUT, "line %ld: %s %s, not %s %s", lineno, text_article(got->name),
				 got->name, text_article(want->name), want->name);
	*t = want ? want : got;
	if (!*t)
		return crm_error(c, CRM_BADINPUT, "line %ld: no record type", lineno);
	*id = (long long)ji->valuedouble;
	return CRM_OK;
}

static int report(struct crm *c, int rc)
{
	if (rc && c->db_retry && c->retry_ok)
		return rc;   /* the command runs again (main.c): not said yet */
	if (rc && c->errmsg[0])
		crm_report(c);
	if (rc && c->strict)
		c->rollback = true;   /* --strict: all or nothing */
	return rc;
}

/* Say which input line a record's problem came from. */
static void at_line(struct crm *c, long lineno)
{
	if (!c->errmsg[0] || !strncmp(c->errmsg, "line ", 5))
		return;
	char *msg = xasprintf("line %ld: %s", lineno, c->errmsg);
	snprintf(c->errmsg, sizeof(c->errmsg), "%s", msg);
	free(msg);
}

/* Whether this command writes (one transaction around it, see main.c). */
static bool writing(const struct crm *c)
{
	return c->verb && c->verb->db == DB_WRITE;
}

/* Input is waiting: let what is done so far go down the pipe, and into
 * the database. A writing command must not hold the write lock while it
 * waits: the command feeding it may be a writer too (crm assign | crm
 * task add), and would wait for the lock while we wait for its output.
 * So a piped writer commits what it has and begins again with the next
 * line. --strict keeps one transaction (nothing is applied if a line is
 * bad): do not feed it from another writing command. */
static int input_idle(void *arg)
{
	struct crm *c = arg;
	int rc = CRM_OK;
	if (writing(c) && db_in_txn(c) && db_may_split(c, true)) {
		rc = c->idle ? c->idle(c, c->idle_arg) : CRM_OK;
		if (!rc)
			rc = hook_commit(c, false);
	}
	/* Only now, and only what is committed: the reader may be waiting for
	 * the lock, not reading. A closed pipe ends us by SIGPIPE. */
	if (!writing(c) || !db_in_txn(c))
		out_release(c->out);
	return rc;
}

/* Before acting on a line: the transaction input_idle() committed. */
static int txn_resume(struct crm *c)
{
	return writing(c) && !db_in_txn(c) ? db_begin(c) : CRM_OK;
}

static void reader_start(struct crm *c, struct jsonl_reader *r)
{
	jsonl_init(r, stdin);
	r->idle = input_idle;
	r->idle_arg = c;
}

int input_each(struct crm *c, int nids, char **ids, const char *dflt_type, input_fn fn, void *arg)
{
	int worst = CRM_OK;
	if (nids > 0) {
		for (int i = 0; i < nids; i++) {
			const struct type *t = NULL;
			long long id = 0;
			int rc = entity_parse(c, ids[i], dflt_type, &t, &id);
			/* a record the user may not see is refused by id, naming it */
			if (!rc)
				rc = record_access(c, t, id, false);
			if (!rc)
				rc = fn(c, t, id, NULL, arg);
			worst = status_worse(worst, report(c, rc));
			if (rc && (c->strict || rc == CRM_DBERR || rc == CRM_USAGE))
				break;
		}
		return worst;
	}
	if (!input_piped())
		return cmd_usage_error(c, "which records? give ids, or pipe JSON lines in");
	struct jsonl_reader r;
	reader_start(c, &r);
	long n = 0;
	cJSON *obj;
	int got;
	while ((got = jsonl_next(&r, &obj)) != 0) {
		int rc;
		if (got < 0) {
			rc = crm_error(c, CRM_BADINPUT, "line %ld: %s", r.lineno, r.err);
		} else {
			const struct type *t = NULL;
			long long id = 0;
			rc = line_target(c, obj, dflt_type, r.lineno, &t, &id);
			if (!rc)
				rc = txn_resume(c);
			/* a line about another record (an approval's deal) does not
			 * say when that record was read: no stale check against it */
			const char *tn = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(obj, "type"));
			cJSON *about = !rc && tn && type_find(c, tn) != t ? cJSON_Duplicate(obj, true) : NULL;
			cJSON_DeleteItemFromObjectCaseSensitive(about, "updated_at");
			if (!rc)
				rc = record_access(c, t, id, false);
			if (!rc)
				rc = fn(c, t, id, about ? about : obj, arg);
			cJSON_Delete(about);
			if (rc)
				at_line(c, r.lineno);
			cJSON_Delete(obj);
			n++;
		}
		worst = status_worse(worst, report(c, rc));
		if (rc && (c->strict || rc == CRM_DBERR))
			break;
	}
	if (r.idle_rc)
		worst = status_worse(worst, report(c, r.idle_rc));
	jsonl_release(&r);
	if (!n && !worst)
		return CRM_NOTFOUND;
	return worst;
}

int input_each_object(struct crm *c, input_obj_fn fn, void *arg)
{
	struct jsonl_reader r;
	int worst = CRM_OK;
	cJSON *obj;
	int got;
	reader_start(c, &r);
	while ((got = jsonl_next(&r, &obj)) != 0) {
		int rc;
		if (got < 0) {
			rc = crm_error(c, CRM_BADINPUT, "line %ld: %s", r.lineno, r.err);
		} else {
			rc = txn_resume(c);
			if (!rc)
				rc = fn(c, obj, r.lineno, arg);
			if (rc)
				at_line(c, r.lineno);
			cJSON_Delete(obj);
		}
		worst = status_worse(worst, report(c, rc));
		if (rc && (c->strict || rc == CRM_DBERR))
			break;
	}
	if (r.idle_rc)
		worst = status_worse(worst, report(c, r.idle_rc));
	jsonl_release(&r);
	return worst;
}
