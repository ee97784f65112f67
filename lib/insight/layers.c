/* layers.c: the cash and service reports' rows, caught as they print. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cash/reports.h"
#include "insight/layers.h"
#include "io/out.h"
#include "service/survey.h"
#include "service/ticket.h"

int layers_capture(struct crm *c, int (*fn)(struct crm *c, const void *arg), const void *arg, cJSON **rows)
{
	*rows = cJSON_CreateArray();
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	if (!fp)
		return crm_error(c, CRM_DBERR, "out of memory");
	struct out *saved = c->out, *o = out_new(OUT_JSONL, fp);
	int format = c->format;
	c->out = o;
	c->format = OUT_JSONL;
	int rc = fn(c, arg);
	c->out = saved;
	c->format = format;
	out_free(o);
	fclose(fp);
	if (rc == CRM_NOTFOUND) {
		rc = CRM_OK;
		c->errmsg[0] = 0;
	}
	for (char *line = buf, *next; !rc && line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		cJSON *row = cJSON_Parse(line);
		if (row)
			cJSON_AddItemToArray(*rows, row);
	}
	free(buf);
	return rc;
}

static int run_revenue(struct crm *c, const void *arg)
{
	return cash_report_revenue(c, arg);
}

int layers_revenue(struct crm *c, const char *since, const char *by, cJSON **rows)
{
	struct cash_report_opts o = { .since = since, .by = by };
	return layers_capture(c, run_revenue, &o, rows);
}

static int run_receivables(struct crm *c, const void *arg)
{
	return cash_report_receivables(c, arg);
}

int layers_receivables(struct crm *c, const char *by, cJSON **rows)
{
	struct cash_report_opts o = { .by = by };
	return layers_capture(c, run_receivables, &o, rows);
}

static int run_breached(struct crm *c, const void *arg)
{
	(void)arg;
	return ticket_breached_print(c, NULL);
}

int layers_breached(struct crm *c, cJSON **rows)
{
	return layers_capture(c, run_breached, NULL, rows);
}

/* ---- satisfaction ---- */

static bool same_key(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

/* What the answers in b's group add to a's (sign -1: take them away). */
static void add_counts(struct satisfaction *a, const struct satisfaction *b, int sign)
{
	a->responses += sign * b->responses;
	a->csat_answers += sign * b->csat_answers;
	a->csat_happy += sign * b->csat_happy;
	a->nps_answers += sign * b->nps_answers;
	a->promoters += sign * b->promoters;
	a->detractors += sign * b->detractors;
}

/* The groups of o's answers from since (o->since) to until, into *rows
 * (added up into rows that are there already, by key). */
static int period_counts(struct crm *c, struct satisfaction_opts o, const char *until, struct satisfaction **rows,
			 int *n)
{
	struct satisfaction *now, *later = NULL;
	int nn, nl = 0;
	int rc = satisfaction_compute(c, &o, &now, &nn);
	if (rc && rc != CRM_NOTFOUND)
		return rc;
	if (until) {
		o.since = until;
		rc = satisfaction_compute(c, &o, &later, &nl);
		if (rc && rc != CRM_NOTFOUND) {
			satisfaction_free(now, nn);
			return rc;
		}
	}
	for (int i = 0; i < nn; i++) {
		for (int j = 0; j < nl; j++)
			if (same_key(now[i].key, later[j].key))
				add_counts(&now[i], &later[j], -1);
		int k = 0;
		while (k < *n && !same_key((*rows)[k].key, now[i].key))
			k++;
		if (k == *n) {
			*rows = xrealloc(*rows, (*n + 1) * sizeof(**rows));
			(*rows)[k] = (struct satisfaction){ .key = now[i].key ? xstrdup(now[i].key) : NULL };
			(*n)++;
		}
		add_counts(&(*rows)[k], &now[i], 1);
	}
	satisfaction_free(now, nn);
	satisfaction_free(later, nl);
	c->errmsg[0] = 0;
	return CRM_OK;
}

struct emit {
	const char *by;
	const struct satisfaction *rows;
	int n;
};

static int run_emit(struct crm *c, const void *arg)
{
	const struct emit *e = arg;
	for (int i = 0; i < e->n; i++)
		if (e->rows[i].responses > 0)
			satisfaction_emit(c, e->by, &e->rows[i]);
	return CRM_OK;
}

int layers_satisfaction(struct crm *c, const struct report_opts *r, cJSON **rows)
{
	struct satisfaction *all = NULL;
	int n = 0, rc = CRM_OK;
	struct satisfaction_opts o = { .by = r->by, .since = r->since, .owner = r->owner };
	cJSON *members = r->members ? cJSON_Parse(r->members) : NULL;
	if (members) {
		const cJSON *m;
		cJSON_ArrayForEach(m, members) {
			o.owner = cJSON_IsString(m) ? m->valuestring : NULL;
			if (o.owner && (rc = period_counts(c, o, r->until, &all, &n)))
				break;
		}
		cJSON_Delete(members);
	} else {
		rc = period_counts(c, o, r->until, &all, &n);
	}
	struct emit e = { r->by, all, n };
	if (!rc)
		rc = layers_capture(c, run_emit, &e, rows);
	else
		*rows = cJSON_CreateArray();
	satisfaction_free(all, n);
	return rc;
}
