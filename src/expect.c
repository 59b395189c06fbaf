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

// Appends n fault-and-commit pairs.
static void PutFaultPairs(TRACE_BUF *pBuf, DWORD n)
{
    DWORD i;

    for (i = 0; i < n; i++)
        Put(pBuf, "Exception is a page fault.\nAllocating another page.\n");
}

// The documented start: the page size, then n fault-and-commit pairs.
static void PutPairs(TRACE_BUF *pBuf, DWORD dwPageSize, DWORD n)
{
    Put(pBuf, "This computer has page size ");
    PutNumber(pBuf, dwPageSize);
    Put(pBuf, ".\n");
    PutFaultPairs(pBuf, n);
}

// Appends n pairs of a guard page violation and its new guard.
static void PutGuardPairs(TRACE_BUF *pBuf, DWORD n)
{
    DWORD i;

    for (i = 0; i < n; i++)
        Put(pBuf, "Exception is a guard page violation.\nCommitting the next page as the new guard.\n");
}

// The sample's limits (docs/SCENARIOS.md), each kind named as its stored
// trace: "stray-write", ..., "checked-stray-write", ... FALSE: not one of them.
static BOOL PutLabTrace(TRACE_BUF *pBuf, const char *lpKind, DWORD dwPages, DWORD dwPageSize)
{
    static const char szStray[] = "Writing one byte outside the region, in the page just past its end.\n";
    static const char szDecommit[] = "Decommitting page 0, then writing to it again.\n";
    static const char szGuard[] = "Committing page 0 as a guard page (PAGE_GUARD) before the loop.\n";
    DWORD dwReadOnly = dwPages >= 2 ? 1 : 0;    // The read-only page: 1, or 0 in a one-page region
    BOOL bChecked = strncmp(lpKind, "checked-", 8) == 0;
    const char *lpName = bChecked ? lpKind + 8 : lpKind;

    if (strcmp(lpName, "stray-write") != 0 && strcmp(lpName, "decommit") != 0 && strcmp(lpName, "read-only") != 0
        && strcmp(lpName, "guard-grow") != 0)
        return FALSE;
    if (strcmp(lpName, "guard-grow") == 0)
    {
        // The sample's filter knows only access violations; the checked one
        // moves the guard up one page per hit until the last page.
        PutPairs(pBuf, dwPageSize, 0);
        Put(pBuf, szGuard);
        if (!bChecked)
            Put(pBuf, "Exception code = 0x80000001.\nExiting process.\n");
        else
        {
            PutGuardPairs(pBuf, dwPages - 1);
            Put(pBuf, "Exception is a guard page violation.\nNo page left for a new guard.\nRelease succeeded.\n");
        }
    }
    else if (strcmp(lpName, "read-only") == 0)
    {
        // The sample's filter commits the read-only page read/write and goes
        // on; the checked one gives up at its first write there.
        PutPairs(pBuf, dwPageSize, 0);
        Put(pBuf, "Committing page ");
        PutNumber(pBuf, dwReadOnly);
        Put(pBuf, " read-only (PAGE_READONLY) before the loop.\n");
        if (bChecked)
        {
            PutFaultPairs(pBuf, dwReadOnly);
            Put(pBuf, "Exception is a page fault.\nException: the page is committed already.\nExiting process.\n");
        }
        else
        {
            PutFaultPairs(pBuf, dwPages);
            Put(pBuf, "Page ");
            PutNumber(pBuf, dwReadOnly);
            Put(pBuf, " is now PAGE_READWRITE (it was PAGE_READONLY).\nRelease succeeded.\n");
        }
    }
    else
    {
        // Page 0 first; then the stray write or the decommit.
        PutPairs(pBuf, dwPageSize, 1);
        Put(pBuf, strcmp(lpName, "stray-write") == 0 ? szStray : szDecommit);
        if (!bChecked)
        {
            // The sample's filter commits the other pages, none of them the
            // one that faults, until it has no page left.
            PutFaultPairs(pBuf, dwPages - 1);
            Put(pBuf, "Exception is a page fault.\nException: out of pages.\nExiting process.\n");
        }
        else if (strcmp(lpName, "stray-write") == 0)
            Put(pBuf, "Exception is a page fault.\nException: the address lies outside the region.\n"
                      "Exiting process.\n");
        else
        {
            // Page 0 again, then every other page: one fault more than pages.
            PutFaultPairs(pBuf, dwPages);
            Put(pBuf, "Release succeeded.\n");
        }
    }
    return TRUE;
}

// See demo.h.
char *ExpectedTrace(const char *lpKind, DWORD dwPages, DWORD dwPageSize, size_t *pcb)
{
    TRACE_BUF buf = { NULL, 0, 0, FALSE };

    if (dwPages == 0)
        return NULL;            // No run has no page; and "pages - 1" below needs one
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
        Put(&buf, " pages PAGE_READWRITE; ");
        PutNumber(&buf, (ULONGLONG)dwPages * dwPageSize / 1024);
        Put(&buf, " KiB committed: ok\n"
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
    else if (strcmp(lpKind, "checked-overrun") == 0 || strcmp(lpKind, "checked-commit-fails") == 0)
    {
        // The checked filter: the page past the region is not its own.
        PutPairs(&buf, dwPageSize, dwPages);
        Put(&buf, "Exception is a page fault.\nException: the address lies outside the region.\n"
                  "Exiting process.\n");
    }
    else if (!PutLabTrace(&buf, lpKind, dwPages, dwPageSize))
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
        _ftprintf(stderr, TEXT("pagefault_demo: no expected trace for %s, %lu pages\n"), lpKind, dwPages);
        return EXIT_BAD_USAGE;
    }
    fflush(stdout);
    _setmode(_fileno(stdout), _O_BINARY);
    fwrite(p, 1, cb, stdout);
    free(p);
    return EXIT_OK;
}
