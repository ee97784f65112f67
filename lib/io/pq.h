/* pq.h: libpq, loaded on first use (see dynlib.h).
 *
 * Linked the usual way, libpq and the libraries it pulls in (Kerberos,
 * LDAP, SASL, two TLS stacks: some twenty) cost every crm command about
 * 4 ms to start, more than a whole `crm lead show`; only a connection
 * to a team server uses them. Include this instead of <libpq-fe.h>: its
 * types and constants are libpq's own, and the functions crm calls are
 * the pointers pq_load fills, under their usual names. Connect only
 * after pq_load succeeded (pg_connect and db_pg_connect do). */
#ifndef CRM_IO_PQ_H
#define CRM_IO_PQ_H

#include <stddef.h>
#include <libpq-fe.h>

/* The functions crm calls, each once. */
#define PQ_FUNCTIONS \
	PQ_FN(PQclear) PQ_FN(PQresultStatus) PQ_FN(PQexec) PQ_FN(PQftype) PQ_FN(PQntuples) \
	PQ_FN(PQdb) PQ_FN(PQgetvalue) PQ_FN(PQfreemem) PQ_FN(PQerrorMessage) \
	PQ_FN(PQtransactionStatus) PQ_FN(PQresultErrorField) PQ_FN(PQnfields) PQ_FN(PQgetisnull) \
	PQ_FN(PQfinish) PQ_FN(PQstatus) PQ_FN(PQprepare) PQ_FN(PQexecPrepared) PQ_FN(PQcmdTuples) \
	PQ_FN(PQunescapeBytea) PQ_FN(PQsetClientEncoding) PQ_FN(PQgetlength) PQ_FN(PQgetResult) \
	PQ_FN(PQconnectdbParams) PQ_FN(PQfname) PQ_FN(PQdescribePrepared) PQ_FN(PQcmdStatus) \
	PQ_FN(PQsetSingleRowMode) PQ_FN(PQsendQuery) PQ_FN(PQputCopyEnd) PQ_FN(PQputCopyData) \
	PQ_FN(PQhost) PQ_FN(PQexecParams) PQ_FN(PQescapeLiteral) PQ_FN(PQescapeIdentifier) \
	PQ_FN(PQencryptPasswordConn) PQ_FN(PQuser) PQ_FN(PQgetCancel) PQ_FN(PQcancel) PQ_FN(PQfreeCancel)

struct pq_api {
#define PQ_FN(name) __typeof__(name) *name;
	PQ_FUNCTIONS
#undef PQ_FN
};
extern struct pq_api pq_api;

/* Load libpq once: 0, or -1 with the reason in err (errsz bytes). */
int pq_load(char *err, size_t errsz);

#ifndef PQ_API_DEFINE   /* pq.c names the pointers themselves */
#define PQclear pq_api.PQclear
#define PQresultStatus pq_api.PQresultStatus
#define PQexec pq_api.PQexec
#define PQftype pq_api.PQftype
#define PQntuples pq_api.PQntuples
#define PQdb pq_api.PQdb
#define PQgetvalue pq_api.PQgetvalue
#define PQfreemem pq_api.PQfreemem
#define PQerrorMessage pq_api.PQerrorMessage
#define PQtransactionStatus pq_api.PQtransactionStatus
#define PQresultErrorField pq_api.PQresultErrorField
#define PQnfields pq_api.PQnfields
#define PQgetisnull pq_api.PQgetisnull
#define PQfinish pq_api.PQfinish
#define PQstatus pq_api.PQstatus
#define PQprepare pq_api.PQprepare
#define PQexecPrepared pq_api.PQexecPrepared
#define PQcmdTuples pq_api.PQcmdTuples
#define PQunescapeBytea pq_api.PQunescapeBytea
#define PQsetClientEncoding pq_api.PQsetClientEncoding
#define PQgetlength pq_api.PQgetlength
#define PQgetResult pq_api.PQgetResult
#define PQconnectdbParams pq_api.PQconnectdbParams
#define PQfname pq_api.PQfname
#define PQdescribePrepared pq_api.PQdescribePrepared
#define PQcmdStatus pq_api.PQcmdStatus
#define PQsetSingleRowMode pq_api.PQsetSingleRowMode
#define PQsendQuery pq_api.PQsendQuery
#define PQputCopyEnd pq_api.PQputCopyEnd
#define PQputCopyData pq_api.PQputCopyData
#define PQhost pq_api.PQhost
#define PQuser pq_api.PQuser
#define PQexecParams pq_api.PQexecParams
#define PQescapeLiteral pq_api.PQescapeLiteral
#define PQescapeIdentifier pq_api.PQescapeIdentifier
#define PQencryptPasswordConn pq_api.PQencryptPasswordConn
#define PQgetCancel pq_api.PQgetCancel
#define PQcancel pq_api.PQcancel
#define PQfreeCancel pq_api.PQfreeCancel
#endif

#endif
