/* main.h: dispatch entry points shared by main() and `crm shell`. */
#ifndef CRM_MAIN_H
#define CRM_MAIN_H

#include <stdio.h>
#include "core/cmd.h"

/* Run one command line (without the leading "crm") in c. Returns the exit
 * status; errors are already printed. */
int main_run(struct crm *c, int argc, char **argv);
void main_release(struct crm *c);
const struct opt *main_common_opts(void);
void main_help_all(FILE *fp);
void main_help_command(FILE *fp, const struct cmd_entry *e);
void main_help_verb(FILE *fp, const struct cmd_entry *e, const struct cmd_verb *v);
/* What `crm version` and `crm --version` print (cmd/version.c). */
void version_print(void);

#endif
