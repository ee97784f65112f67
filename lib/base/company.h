/* company.h: the key two spellings of one company share. */
#ifndef CRM_BASE_COMPANY_H
#define CRM_BASE_COMPANY_H

/* 杭州云启科技有限公司, 杭州云启科技 and "杭州云启科技（中国）有限公司" have
 * one key: full-width folded, spaces gone, lower case, legal suffixes
 * (有限公司, Co., Ltd., Inc., ...) and "(中国)" cut. Newly allocated. */
char *company_key(const char *name);

#endif
