/* test_mask.c: how a value the reader may not see prints (CLI.md 8.1). */
#include <stdlib.h>

#include "core/mask.h"
#include "unit.h"

static const struct field phone_f = { "phone", FK_PHONE, 0, NULL, NULL, NULL, NULL };
static const struct field email_f = { "email", FK_EMAIL, 0, NULL, NULL, NULL, NULL };
static const struct field text_f = { "id_card", FK_TEXT, 0, NULL, NULL, NULL, NULL };
static const struct field money_f = { "salary", FK_MONEY, 0, NULL, NULL, NULL, NULL };

#define CHECK_MASK(f, v, want) do { \
	char *m_ = mask_text(f, v); \
	CHECK_STR(m_, want); \
	free(m_); \
} while (0)

int main(void)
{
	/* a phone keeps its first 3 and last 4 characters */
	CHECK_MASK(&phone_f, "13812345678", "138****5678");
	CHECK_MASK(&phone_f, "0571-88886666", "057******6666");
	CHECK_MASK(&phone_f, "+14155550123", "+14*****0123");
	CHECK_MASK(&phone_f, "12345678", "123*5678");
	CHECK_MASK(&phone_f, "1234567", "***");   /* too short to show any of it */
	/* an email its first 2 characters before the @ */
	CHECK_MASK(&email_f, "zhangwei@example.com", "zh***@example.com");
	CHECK_MASK(&email_f, "z@example.com", "z***@example.com");
	CHECK_MASK(&email_f, "@example.com", "***@example.com");
	CHECK_MASK(&email_f, "not-an-email", "***");
	/* anything else */
	CHECK_MASK(&text_f, "330102199001011234", "***");
	CHECK_MASK(&money_f, "1200000", "***");
	CHECK_MASK(&text_f, "", "***");
	CHECK_MASK(NULL, "x", "***");
	UNIT_DONE();
}
