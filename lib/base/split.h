/* split.h: splitting a command line into words the way sh does for the
 * simple cases: 'single quotes', "double quotes" with \" and \\, and
 * backslash escapes. Used by crm shell. */
#ifndef CRM_SPLIT_H
#define CRM_SPLIT_H

/* Split line into *argv (NULL-terminated; free with split_free). Returns
 * the word count, or -1 for an unterminated quote. */
int split_words(const char *line, char ***argv);
void split_free(char **argv);

#endif
