/* hook.c: running user hooks after commit. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/audit.h"
#include "core/config.h"
#include "core/db.h"
#include "core/hook.h"
#include "io/fs.h"
#include "io/out.h"

struct hook_item {
	char *path;
	char *event;
	char *json;
	bool unsafe;     /* writable by group or others: refused, not run */
	struct hook_item *next;
};

struct hookq {
	struct hook_item *head, **tail;
	/* Which events have a hook, looked up once per event per command. */
	struct known { char *event; char *path; bool unsafe; struct known *next; } *known;
};

char *hook_dir(void)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	if (xdg && *xdg)
		return xasprintf("%s/crm/hooks", xdg);
	return xasprintf("%s/.config/crm/hooks", home && *home ? home : ".");
}

static struct hookq *queue(struct crm *c)
{
	if (!c->hooks) {
		c->hooks = xcalloc(1, sizeof(*c->hooks));
		c->hooks->tail = &c->hooks->head;
	}
	return c->hooks;
}

static struct known *hook_path(struct hookq *q, const char *event)
{
	for (struct known *k = q->known; k; k = k->next)
		if (!strcmp(k->event, event))
			return k;
	struct known *k = xcalloc(1, sizeof(*k));
	char *dir = hook_dir();
	char *path = xasprintf("%s/on-%s", dir, event);
	free(dir);
	k->event = xstrdup(event);
	struct stat st;
	if (access(path, X_OK) == 0) {
		k->path = path;
		/* like ssh with its keys: a hook others may change is not run */
		k->unsafe = stat(path, &st) != 0 || (st.st_mode & (S_IWGRP | S_IWOTH));
	} else {
		free(path);
	}
	k->next = q->known;
	q->known = k;
	return k;
}

bool hook_wanted(struct crm *c, const char *event)
{
	const char *off = getenv("CRM_NO_HOOKS");
	if (off && *off && strcmp(off, "0"))
		return false;
	return hook_path(queue(c), event)->path != NULL;   /* hook_path finds what is known, hook or none */
}

void hook_queue(struct crm *c, const char *event, const cJSON *record)
{
	const char *off = getenv("CRM_NO_HOOKS");
	if (off && *off && strcmp(off, "0"))
		return;
	struct hookq *q = queue(c);
	struct known *k = hook_path(q, event);
	if (!k->path)
		return;
	struct hook_item *it = xcalloc(1, sizeof(*it));
	char *s = cJSON_PrintUnformatted(record);
	it->path = xstrdup(k->path);
	it->unsafe = k->unsafe;
	it->event = xstrdup(event);
	it->json = xasprintf("%s\n", s ? s : "{}");
	cJSON_free(s);
	*q->tail = it;
	q->tail = &it->next;
}

static void item_free(struct hook_item *it)
{
	free(it->path);
	free(it->event);
	free(it->json);
	free(it);
}

void *hook_mark(struct crm *c)
{
	return queue(c)->tail;
}

void hook_rollback(struct crm *c, void *mark)
{
	struct hookq *q = queue(c);
	struct hook_item **at = mark, *it = *at;
	*at = NULL;
	q->tail = at;
	while (it) {
		struct hook_item *next = it->next;
		item_free(it);
		it = next;
	}
}

/* A hook that failed, was killed or refused: in the audit log, so that
 * crm log shows it (entity hook:on-EVENT), in a transaction of its own
 * (hooks run after the commit). */
static void hook_record(struct crm *c, const struct hook_item *it, const char *action, const char *why)
{
	if (!c->conn || c->db_readonly || db_in_txn(c))
		return;
	cJSON *j = cJSON_CreateObject();
	cJSON_AddStringToObject(j, "path", it->path);
	cJSON_AddStringToObject(j, "why", why);
	cJSON *rec = cJSON_Parse(it->json);
	const cJSON *type = cJSON_GetObjectItem(rec, "type"), *id = cJSON_GetObjectItem(rec, "id");
	if (cJSON_IsString(type) && cJSON_IsNumber(id)) {
		char *ent = xasprintf("%s:%lld", type->valuestring, (long long)id->valuedouble);
		cJSON_AddStringToObject(j, "record", ent);
		free(ent);
	}
	cJSON_Delete(rec);
	char *after = cJSON_PrintUnformatted(j);
	cJSON_Delete(j);
	char *entity = xasprintf("hook:on-%s", it->event);
	char saved[sizeof(c->errmsg)];
	memcpy(saved, c->errmsg, sizeof(saved));
	int saved_code = c->errcode;
	if (db_begin(c) == CRM_OK) {   /* the backend's own (a file's takes the write lock now) */
		if (audit_log(c, entity, action, NULL, after) == CRM_OK)
			db_commit(c);
		db_rollback(c);
	}
	memcpy(c->errmsg, saved, sizeof(saved));
	c->errcode = saved_code;
	free(entity);
	cJSON_free(after);
}

static double now_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + t.tv_nsec / 1e9;
}

/* Kill the hook and what it started (its own process group). */
static void hook_kill(pid_t pid)
{
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
}

static void run_one(struct crm *c, struct hook_item *it)
{
	if (it->unsafe) {
		crm_warn(c, "hook on-%s not run: %s is writable by group or others (chmod go-w %s)",
			 it->event, it->path, it->path);
		hook_record(c, it, "hook_refused", "writable by group or others");
		return;
	}
	double limit = (double)config_get_int(c, "hooks.timeout", 30);
	int fds[2];
	if (pipe(fds) != 0) {
		crm_warn(c, "hook on-%s: %s", it->event, strerror(errno));
		return;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		crm_warn(c, "hook on-%s: %s", it->event, strerror(errno));
		close(fds[0]);
		close(fds[1]);
		return;
	}
	if (pid == 0) {
		setpgid(0, 0);   /* so that a timeout kills what it started too */
		dup2(fds[0], STDIN_FILENO);
		/* A hook's output must not mix with our JSON lines. */
		dup2(STDERR_FILENO, STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		setenv("CRM_EVENT", it->event, 1);
		if (c->db_path)
			setenv("CRM_DB", c->db_path, 1);
		if (c->user)
			setenv("CRM_USER", c->user, 1);
		fs_user_umask();
		execl(it->path, it->path, it->event, (char *)NULL);
		_exit(127);
	}
	setpgid(pid, pid);
	close(fds[0]);
	double deadline = now_seconds() + (limit > 0 ? limit : 1e9);
	bool killed = false;
	/* A hook that does not read its stdin must not kill us, nor hang us. */
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);
	fcntl(fds[1], F_SETFL, fcntl(fds[1], F_GETFL) | O_NONBLOCK);
	size_t len = strlen(it->json), off = 0;
	while (off < len) {
		double left = deadline - now_seconds();
		if (left <= 0) {
			hook_kill(pid);
			killed = true;
			break;
		}
		struct pollfd p = { .fd = fds[1], .events = POLLOUT };
		int pr = poll(&p, 1, (int)(left * 1000) + 1);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
			continue;
		ssize_t n = write(fds[1], it->json + off, len - off);
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	close(fds[1]);
	signal(SIGPIPE, old);
	int status = 0;
	long nap = 1000000;   /* 1 ms, doubling up to 50 ms */
	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid || (w < 0 && errno != EINTR))
			break;
		if (!killed && now_seconds() >= deadline) {
			hook_kill(pid);
			killed = true;
			continue;
		}
		struct timespec ts = { 0, nap };
		nanosleep(&ts, NULL);
		if (nap < 50000000)
			nap *= 2;
	}
	char why[128];
	if (killed) {
		crm_warn(c, "hook on-%s (%s) took longer than %g s (config hooks.timeout): killed; "
			 "the change it followed is kept", it->event, it->path, limit);
		snprintf(why, sizeof(why), "took longer than %g s: killed", limit);
		hook_record(c, it, "hook_killed", why);
	} else if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
		crm_warn(c, "hook on-%s failed (exit %d); the change it followed is kept",
			 it->event, WEXITSTATUS(status));
		snprintf(why, sizeof(why), "exit %d", WEXITSTATUS(status));
		hook_record(c, it, "hook_failed", why);
	} else if (WIFSIGNALED(status)) {
		crm_warn(c, "hook on-%s killed by signal %d; the change it followed is kept",
			 it->event, WTERMSIG(status));
		snprintf(why, sizeof(why), "killed by signal %d", WTERMSIG(status));
		hook_record(c, it, "hook_failed", why);
	}
}

int hook_commit(struct crm *c, bool again)
{
	if (c->txn_failed[0])   /* a write of it could not be undone alone */
		return crm_error(c, CRM_DBERR, "%s", c->txn_failed);
	int rc = c->before_commit ? c->before_commit(c, c->before_commit_arg) : CRM_OK;
	if (rc)
		return rc;
	rc = db_commit(c);
	if (rc) {
		/* Nothing of this transaction stands: nor may its records go
		 * out, nor its hooks run, nor the command write on in
		 * autocommit (db_begin and db_savepoint refuse from now). */
		db_rollback(c);
		hook_discard(c);
		out_discard(c->out);
		snprintf(c->txn_failed, sizeof(c->txn_failed), "%s", c->errmsg);
		return rc;
	}
	hook_run_pending(c);
	return again ? db_begin(c) : CRM_OK;
}

int hook_commit_bulk(struct crm *c)
{
	int rc = hook_commit(c, false);
	if (rc)
		return rc;
	struct timespec nap = { 0, 10 * 1000000L };
	nanosleep(&nap, NULL);
	return db_begin(c);
}

void hook_run_pending(struct crm *c)
{
	if (!c->hooks)
		return;
	struct hook_item *it = c->hooks->head;
	c->hooks->head = NULL;
	c->hooks->tail = &c->hooks->head;
	while (it) {
		struct hook_item *next = it->next;
		run_one(c, it);
		item_free(it);
		it = next;
	}
}

void hook_discard(struct crm *c)
{
	if (!c->hooks)
		return;
	while (c->hooks->head) {
		struct hook_item *it = c->hooks->head;
		c->hooks->head = it->next;
		item_free(it);
	}
	c->hooks->tail = &c->hooks->head;
}

void hook_free(struct crm *c)
{
	if (!c->hooks)
		return;
	hook_discard(c);
	while (c->hooks->known) {
		struct known *k = c->hooks->known;
		c->hooks->known = k->next;
		free(k->event);
		free(k->path);
		free(k);
	}
	free(c->hooks);
	c->hooks = NULL;
}
