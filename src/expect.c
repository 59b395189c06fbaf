// expect.c - the traces a run should print, written from the documented
// pattern, for --selftest. Shares nothing with the code that prints them
// (main.c, watch.c): it is written from the documented sample's output, a
// page-size line, one "page fault"/"Allocating" pair per page, one ending,
// so that a mistake on one side is not copied into the other.
//
// The bytes are what a child's stdout pipe carries: CRLF line ends, as the
// C runtime's text mode writes them (TOOLCHAIN-NOTES, "Output bytes").

#include "demo.h"
#include <string.h>
#include <io.h>
#include <fcntl.h>

// A growing byte buffer; bFailed once memory ran out.
typedef struct
{
    char *p;
    size_t cb, cbMax;
    BOOL bFailed;
} TRACE_BUF;

// Appends the text, each "\n" as "\r\n".
static void Put(TRACE_BUF *pBuf, const char *lpText)
{
    for (; *lpText != '\0' && !pBuf->bFailed; lpText++)
    {
        if (pBuf->cb + 2 > pBuf->cbMax)
        {
            size_t cbNew = pBuf->cbMax ? pBuf->cbMax * 2 : 4096;
            char *pNew = (char *)realloc(pBuf->p, cbNew);

            if (pNew == NULL)
            {
                pBuf->bFailed = TRUE;
                return;
            }
            pBuf->p = pNew;
            pBuf->cbMax = cbNew;
        }
        if (*lpText == '\n')
            pBuf->p[pBuf->cb++] = '\r';
        pBuf->p[pBuf->cb++] = *lpText;
    }
}

// Appends n in decimal.
static void PutNumber(TRACE_BUF *pBuf, ULONGLONG n)
{
    char sz[24];
    int i = (int)sizeof sz - 1;

    sz[i] = '\0';
    do
    {
        sz[--i] = (char)('0' + (int)(n % 10));
        n /= 10;
    } while (n != 0);
    Put(pBuf, sz + i);
}

// The documented start: the page size, then n fault-and-commit pairs.
static void PutPairs(TRACE_BUF *pBuf, DWORD dwPageSize, DWORD n)
{
    DWORD i;

    Put(pBuf, "This computer has page size ");
    PutNumber(pBuf, dwPageSize);
    Put(pBuf, ".\n");
    for (i = 0; i < n; i++)
        Put(pBuf, "Exception is a page fault.\nAllocating another page.\n");
}

// See demo.h.
char *ExpectedTrace(const char *lpKind, DWORD dwPages, DWORD dwPageSize, size_t *pcb)
{
    TRACE_BUF buf = { NULL, 0, 0, FALSE };

    if (strcmp(lpKind, "demo") == 0)
    {
        PutPairs(&buf, dwPageSize, dwPages);
        Put(&buf, "Release succeeded.\n");
    }
    else if (strcmp(lpKind, "verify") == 0)
    {
        PutPairs(&buf, dwPageSize, dwPages);
        Put(&buf, "Verify: faults counted (");
        PutNumber(&buf, dwPages);
        Put(&buf, ") equal pages touched (");
        PutNumber(&buf, dwPages);
        Put(&buf, "): ok\nVerify: ");
        PutNumber(&buf, dwPages);
        Put(&buf, " of ");
        PutNumber(&buf, dwPages);
        Put(&buf, " pages are MEM_COMMIT with PAGE_READWRITE (");
        PutNumber(&buf, (ULONGLONG)dwPages * dwPageSize / 1024);
        Put(&buf, " KiB committed): ok\n"
                  "Verify: every byte holds 'a' (0 bytes differ): ok\n"
                  "Release succeeded.\n"
                  "Verify: after MEM_RELEASE the base address is MEM_FREE: ok\n");
    }
    else if (strcmp(lpKind, "overrun") == 0)
    {
        // Every page of the region, then the page past it finds none left.
        PutPairs(&buf, dwPageSize, dwPages);
        Put(&buf, "Exception is a page fault.\nException: out of pages.\nExiting process.\n");
    }
    else if (strcmp(lpKind, "not-a-fault") == 0)
    {
        // The division sits on the last byte of page 1: one pair before it.
        PutPairs(&buf, dwPageSize, 1);
        Put(&buf, "Exception code = 0xC0000094.\nExiting process.\n");
    }
    else if (strcmp(lpKind, "commit-fails") == 0)
    {
        // The page past the region is free: committing it fails, 487.
        PutPairs(&buf, dwPageSize, dwPages);
        Put(&buf, "Exception is a page fault.\nVirtualAlloc failed with error code of 487.\n"
                  "Exiting process.\n");
    }
    else
        return NULL;
    if (buf.bFailed)
    {
        free(buf.p);
        return NULL;
    }
    *pcb = buf.cb;
    return buf.p;
}

// See demo.h.
int PrintExpectedTrace(LPCTSTR lpKind, LPCTSTR lpPages)
{
    char szKind[32];
    size_t i, cb;
    DWORD dwPages = 80;
    char *p;

    for (i = 0; lpKind[i] != TEXT('\0') && i + 1 < sizeof szKind; i++)
        szKind[i] = (char)lpKind[i];
    szKind[i] = '\0';
    if (lpPages != NULL)
        dwPages = (DWORD)_tcstoul(lpPages, NULL, 10);
    if ((p = ExpectedTrace(szKind, dwPages, SystemPageSize(), &cb)) == NULL)
    {
        _ftprintf(stderr, TEXT("pagefault_demo: no expected trace for '%s'\n"), lpKind);
        return EXIT_BAD_USAGE;
    }
    fflush(stdout);
    _setmode(_fileno(stdout), _O_BINARY);
    fwrite(p, 1, cb, stdout);
    free(p);
    return EXIT_OK;
}
