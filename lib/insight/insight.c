/* insight.c: the insight layer's module. It owns no record type and
 * changes nothing: it only reads, through the reports below it. */
#include "insight/insight.h"

const struct module insight_module = {
	.name = "insight",
};
