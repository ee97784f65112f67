/* company.h: the key two spellings of one company share. */
#ifndef CRM_BASE_COMPANY_H
#define CRM_BASE_COMPANY_H

/* 杭州云启科技有限公司, 杭州云启科技 and "杭州云启科技（中国）有限公司" have
 * one key, as "Acme (China) Co., Ltd.", "ACME", "Acme Inc." and "Acme
 * GmbH" do: full-width folded, lower case, "(中国)" and "(China)" cut,
 * legal forms at the end cut (有限公司, 集团, Co., Ltd., Limited, Inc., LLC,
 * Corp., GmbH, PLC, Group ..., English ones as whole words), spaces gone.
 * Newly allocated. */
char *company_key(const char *name);

#endif
