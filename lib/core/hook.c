/* hook.c: running user hooks after commit. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/db.h"
#include "core/hook.h"

struct hook_item {
	char *path;
	char *event;
	char *json;
	struct hook_item *next;
};

struct hookq {
	struct hook_item *head, **tail;
	/* Which events have a hook, looked up once per event per command. */
	struct known { char *event; char *path; struct known *next; } *known;
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

static const char *hook_path(struct hookq *q, const char *event)
{
	for (struct known *k = q->known; k; k = k->next)
		if (!strcmp(k->event, event))
			return k->path;
	struct known *k = xcalloc(1, sizeof(*k));
	char *dir = hook_dir();
	char *path = xasprintf("%s/on-%s", dir, event);
	free(dir);
	k->event = xstrdup(event);
	if (access(path, X_OK) == 0)
		k->path = path;
	else
		free(path);
	k->next = q->known;
	q->known = k;
	return k->path;
}

bool hook_exists(struct crm *c, const char *event)
{
	const char *off = getenv("CRM_NO_HOOKS");
	if (off && *off && strcmp(off, "0"))
		return false;
	return hook_path(queue(c), event) != NULL;
}

void hook_queue(struct crm *c, const char *event, const cJSON *record)
{
	const char *off = getenv("CRM_NO_HOOKS");
	if (off && *off && strcmp(off, "0"))
		return;
	struct hookq *q = queue(c);
	const char *path = hook_path(q, event);
	if (!path)
		return;
	struct hook_item *it = xcalloc(1, sizeof(*it));
	char *s = cJSON_PrintUnformatted(record);
	it->path = xstrdup(path);
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

static void run_one(struct crm *c, struct hook_item *it)
{
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
		execl(it->path, it->path, it->event, (char *)NULL);
		_exit(127);
	}
	close(fds[0]);
	/* A hook that does not read its stdin must not kill us. */
	void (*old)(int) = signal(SIGPIPE, SIG_IGN);
	size_t len = strlen(it->json), off = 0;
	while (off < len) {
		ssize_t n = write(fds[1], it->json + off, len - off);
		if (n <= 0)
			break;
		off += (size_t)n;
	}
	close(fds[1]);
	signal(SIGPIPE, old);
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		crm_warn(c, "hook on-%s failed (exit %d); the change it followed is kept",
			 it->event, WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		crm_warn(c, "hook on-%s killed by signal %d; the change it followed is kept",
			 it->event, WTERMSIG(status));
}

int hook_commit(struct crm *c, bool again)
{
	int rc = c->before_commit ? c->before_commit(c, c->before_commit_arg) : CRM_OK;
	if (rc)
		return rc;
	rc = db_commit(c);
	if (rc)
		return rc;
	hook_run_pending(c);
	return again ? db_begin(c) : CRM_OK;
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
