/* export.c: crm export. Every field, custom ones too, so that an export
 * imports back as it was. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/db.h"
#include "core/progress.h"
#include "core/mask.h"
#include "data/export.h"
#include "io/fs.h"
#include "io/out.h"
#include "core/record.h"
#include "io/xlsxw.h"

/* The header of a field: its name, or its Chinese header (a custom
 * field's label: the column it was imported from). Newly allocated. */
static char *header_of(struct crm *c, const struct type *t, const struct field *f, bool zh)
{
	if (zh && f->zh)
		return xstrdup(f->zh);
	if (zh && f->flags & FF_CUSTOM) {
		char *sql = xasprintf("SELECT label FROM field WHERE type = '%s' AND name = ?", t->name);
		char *label = db_get_text(c, sql, f->name);
		free(sql);
		c->errmsg[0] = 0;
		if (label)
			return label;
	}
	return xstrdup(f->name);
}

static bool exported(const struct field *f)
{
	return !(f->flags & FF_HIDDEN);
}

/* The progress line of an export, drawn as its records go out. */
struct export_progress {
	struct out *o;
	struct progress pg;
};

static bool export_flushed(void *arg, size_t bytes)
{
	struct export_progress *ep = arg;
	(void)bytes;
	progress_update(&ep->pg, out_count(ep->o), -1);
	return true;
}

/* csv, tsv, jsonl: the record writer, to fp. */
static int export_text(struct crm *c, const struct type *t, const struct export_opts *e,
		       enum out_format fmt, FILE *fp)
{
	if (e->bom && fmt != OUT_JSONL)
		fputs("\xEF\xBB\xBF", fp);
	struct out *saved = c->out, *o = out_new(fmt, fp);
	out_raw(o, c->raw);
	const char **keys = xcalloc(t->nfields, sizeof(char *));
	char **labels = xcalloc(t->nfields, sizeof(char *));
	int n = 0;
	for (int i = 0; i < t->nfields; i++)
		if (exported(&t->fields[i])) {
			keys[n] = t->fields[i].name;
			labels[n++] = header_of(c, t, &t->fields[i], e->zh);
		}
	out_columns(o, keys, n);
	out_header(o, (const char *const *)labels, n);
	struct export_progress ep = { .o = o };
	progress_begin(&ep.pg, c, "export", t->plural);
	out_on_flush(o, export_flushed, &ep);
	c->out = o;
	int rc = query_list(c, t, &e->q);
	c->out = saved;
	progress_update(&ep.pg, out_count(o), 1);
	progress_end(&ep.pg);
	if (out_free(o) != 0 && !rc)
		rc = crm_error(c, CRM_DBERR, "cannot write %s: %s", e->file ? e->file : "stdout", strerror(errno));
	for (int i = 0; i < n; i++)
		free(labels[i]);
	free(labels);
	free(keys);
	return rc;
}

/* ---- xlsx ---- */

struct sheet {
	const struct xlsxw *x;
	const struct type *t;
	lxw_worksheet *ws;
	lxw_format *date;
	int row;
	struct progress pg;
};

/* An Excel cell holds at most this many characters. */
#define XLSX_CELL_MAX 32767

/* Cut text to XLSX_CELL_MAX characters (UTF-8); whether it was cut. */
static bool cell_cut(char *text)
{
	size_t chars = 0;
	for (char *p = text; *p; p++)
		if (((unsigned char)*p & 0xC0) != 0x80 && ++chars > XLSX_CELL_MAX) {
			*p = 0;
			return true;
		}
	return false;
}

/* One cell from a record's JSON value: numbers as numbers, the rest as
 * text (a phone stays text: no lost leading zero, no 1.38E+10). */
static void xlsx_cell(struct crm *c, struct sheet *s, long long id, int col, const struct field *f,
		      const cJSON *v)
{
	if (!v || cJSON_IsNull(v))
		return;
	if (cJSON_IsNumber(v) && f->kind != FK_PHONE && f->kind != FK_TEXT) {
		s->x->worksheet_write_number(s->ws, (lxw_row_t)s->row, (lxw_col_t)col, v->valuedouble, NULL);
		return;
	}
	if (cJSON_IsBool(v)) {
		s->x->worksheet_write_boolean(s->ws, (lxw_row_t)s->row, (lxw_col_t)col, cJSON_IsTrue(v), NULL);
		return;
	}
	char *text;
	if (cJSON_IsArray(v)) {
		text = out_list_cell(v);
	} else if (cJSON_IsString(v)) {
		text = xstrdup(v->valuestring);
	} else {
		char *p = cJSON_PrintUnformatted(v);
		text = xstrdup(p);
		cJSON_free(p);
	}
	/* longer, libxlsxwriter leaves the cell out without a word */
	if (cell_cut(text))
		crm_warn(c, "%s:%lld: %s cut to %d characters, the most an Excel cell holds "
			 "(export csv or jsonl to keep it whole)", s->t->name, id, f->name, XLSX_CELL_MAX);
	s->x->worksheet_write_string(s->ws, (lxw_row_t)s->row, (lxw_col_t)col, text, NULL);
	free(text);
}

static int xlsx_row(struct crm *c, long long id, void *arg)
{
	struct sheet *s = arg;
	cJSON *r = record_get(c, s->t, id, false);
	if (!r)
		return c->errcode;
	mask_json(c, s->t, r, NULL);   /* as every other print of it */
	int col = 0;
	for (int i = 0; i < s->t->nfields; i++) {
		const struct field *f = &s->t->fields[i];
		if (!exported(f))
			continue;
		xlsx_cell(c, s, id, col++, f, cJSON_GetObjectItem(r, f->name));
	}
	s->row++;
	if ((s->row & 255) == 0)
		progress_update(&s->pg, s->row - 1, -1);
	cJSON_Delete(r);
	return CRM_OK;
}

static int copy_out(struct crm *c, const char *path)
{
	FILE *in = fopen(path, "rb");
	if (!in)
		return crm_error(c, CRM_DBERR, "cannot read %s: %s", path, strerror(errno));
	char buf[65536];
	size_t n;
	int rc = CRM_OK;
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, stdout) != n) {
			rc = crm_error(c, CRM_DBERR, "cannot write stdout: %s", strerror(errno));
			break;
		}
	fclose(in);
	return rc;
}

static int export_xlsx(struct crm *c, const struct type *t, const struct export_opts *e)
{
	char tmp[] = "/tmp/crm-export-XXXXXX";
	const char *path = e->file;
	if (!path) {
		if (isatty(STDOUT_FILENO))
			return crm_error(c, CRM_USAGE, "an .xlsx workbook is not for a terminal: give -o FILE.xlsx");
		int fd = mkstemp(tmp);
		if (fd < 0)
			return crm_error(c, CRM_DBERR, "cannot make a temporary file: %s", strerror(errno));
		close(fd);
		path = tmp;
	}
	/* -o FILE.xlsx: under a temporary name too, put in place when whole */
	char *beside = NULL;
	if (e->file) {
		int fd = fs_temp_beside(e->file, &beside);
		if (fd < 0)
			return crm_error(c, CRM_USAGE, "-o: cannot write %s: %s", e->file, strerror(errno));
		close(fd);
		path = beside;
	}
	char why[512];
	const struct xlsxw *x = xlsxw_get(why, sizeof(why));
	lxw_workbook *wb = x ? x->workbook_new(path) : NULL;
	if (!wb) {
		if (path == tmp || beside)
			unlink(path);
		free(beside);
		return x ? crm_error(c, CRM_USAGE, "cannot write %s", e->file ? e->file : path)
			 : crm_error(c, CRM_DBERR, "%s", why);
	}
	struct sheet s = { .x = x, .t = t, .ws = x->workbook_add_worksheet(wb, t->plural) };
	lxw_format *bold = x->workbook_add_format(wb);
	x->format_set_bold(bold);
	int col = 0;
	for (int i = 0; i < t->nfields; i++) {
		if (!exported(&t->fields[i]))
			continue;
		char *h = header_of(c, t, &t->fields[i], e->zh);
		x->worksheet_write_string(s.ws, 0, (lxw_col_t)col++, h, bold);
		free(h);
	}
	x->worksheet_freeze_panes(s.ws, 1, 0);
	s.row = 1;
	progress_begin(&s.pg, c, "export", t->plural);
	int rc = query_ids(c, t, &e->q, xlsx_row, &s);
	progress_end(&s.pg);
	lxw_error err = x->workbook_close(wb);
	if (!rc && err != LXW_NO_ERROR)
		rc = crm_error(c, CRM_DBERR, "cannot write %s: %s", e->file ? e->file : "the workbook",
			       x->lxw_strerror(err));
	if (!rc && path == tmp)
		rc = copy_out(c, tmp);
	if (path == tmp)
		unlink(tmp);
	if (beside) {
		if (!rc && fs_commit(beside, e->file, 1) != 0)
			rc = crm_error(c, CRM_DBERR, "cannot write %s: %s", e->file, strerror(errno));
		unlink(beside);
		free(beside);
	}
	return rc;
}

static int format_pick(struct crm *c, const struct export_opts *e, enum out_format *fmt, bool *xlsx)
{
	*xlsx = false;
	const char *name = e->format;
	if (!name && e->file) {
		const char *dot = strrchr(e->file, '.');
		if (dot && !strcmp(dot, ".xlsx"))
			name = "xlsx";
		else if (dot && (!strcmp(dot, ".jsonl") || !strcmp(dot, ".json")))
			name = "jsonl";
		else if (dot && !strcmp(dot, ".tsv"))
			name = "tsv";
	}
	if (!name)
		name = "csv";
	if (!strcmp(name, "xlsx")) {
		*xlsx = true;
		return CRM_OK;
	}
	int f = out_format_parse(name);
	if (f < 0 || f == OUT_TABLE)
		return crm_error(c, CRM_USAGE, "--format: '%s' is not one of csv, tsv, jsonl, xlsx", name);
	*fmt = (enum out_format)f;
	return CRM_OK;
}

int export_run(struct crm *c, const struct export_opts *e)
{
	const struct type *t = type_get(c, e->type);
	if (!t)
		return c->errcode;
	enum out_format fmt = OUT_CSV;
	bool xlsx;
	int rc = format_pick(c, e, &fmt, &xlsx);
	if (rc)
		return rc;
	if (xlsx)
		return export_xlsx(c, t, e);
	/* -o FILE: written under a temporary name, put in place when whole
	 * (a full disk leaves no empty or half file behind) */
	char *tmp = NULL;
	FILE *fp = stdout;
	if (e->file) {
		int fd = fs_temp_beside(e->file, &tmp);
		fp = fd >= 0 ? fdopen(fd, "w") : NULL;
		if (!fp) {
			if (fd >= 0) {
				close(fd);
				unlink(tmp);
			}
			free(tmp);
			return crm_error(c, CRM_USAGE, "-o: cannot write %s: %s", e->file, strerror(errno));
		}
	}
	rc = export_text(c, t, e, fmt, fp);
	if (fp != stdout) {
		if ((fflush(fp) != 0 || fsync(fileno(fp)) != 0) && !rc)
			rc = crm_error(c, CRM_DBERR, "cannot write %s: %s", e->file, strerror(errno));
		if (fclose(fp) != 0 && !rc)
			rc = crm_error(c, CRM_DBERR, "cannot write %s: %s", e->file, strerror(errno));
		if (!rc && fs_commit(tmp, e->file, 1) != 0)
			rc = crm_error(c, CRM_DBERR, "cannot write %s: %s", e->file, strerror(errno));
		if (rc)
			unlink(tmp);
		free(tmp);
	}
	return rc;
}
