// junit.c - --selftest --junit FILE: the JUnit XML file, one testcase per
// check, for the CI systems that read it (Azure Pipelines, GitLab, most
// GitHub Actions test reporters). The same facts as the TAP stream.

#include "demo.h"
#include <io.h>
#include <fcntl.h>

// Writes s with XML's five special characters escaped.
static void PutXml(FILE *f, const char *s)
{
    for (; *s != '\0'; s++)
    {
        switch (*s)
        {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        default:
            fputc((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7E ? '?' : *s, f);
        }
    }
}

// See demo.h.
BOOL WriteJUnit(FILE *f, const SELFTEST_CHECK *pChecks, const SELFTEST_OUTCOME *pOutcomes, DWORD dwChecks,
                DWORD dwFailed, DWORD dwMs)
{
    DWORD n;

    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<testsuites tests=\"%u\" failures=\"%lu\" time=\"%.3f\">\n"
               "  <testsuite name=\"pagefault_demo --selftest\" tests=\"%u\" failures=\"%lu\" time=\"%.3f\">\n",
            (unsigned)dwChecks, dwFailed, dwMs / 1000.0, (unsigned)dwChecks, dwFailed, dwMs / 1000.0);
    for (n = 0; n < dwChecks; n++)
    {
        const SELFTEST_OUTCOME *pOut = &pOutcomes[n];

        fputs("    <testcase classname=\"pagefault_demo.selftest\" name=\"", f);
        PutXml(f, pChecks[n].lpName);
        fprintf(f, "\" time=\"%.3f\"", pOut->dwMs / 1000.0);
        if (pOut->szWhy[0] == '\0')
        {
            fputs("/>\n", f);
            continue;
        }
        fputs(">\n      <failure message=\"", f);
        PutXml(f, pOut->szWhy);
        fputs("\">", f);
        if (!pOut->bTimedOut)
            fprintf(f, "exit code %lu, expected %d", pOut->dwExit, pChecks[n].nExit);
        if (pOut->nLine != 0)
        {
            fprintf(f, "; line %ld expected: ", pOut->nLine);
            PutXml(f, pOut->szExpected);
            fputs("; got: ", f);
            PutXml(f, pOut->szGot);
        }
        if (pOut->szStderr[0] != '\0')
        {
            fputs("; stderr: ", f);
            PutXml(f, pOut->szStderr);
        }
        fputs("</failure>\n    </testcase>\n", f);
    }
    fputs("  </testsuite>\n</testsuites>\n", f);
    return fflush(f) == 0 && !ferror(f);
}

// See demo.h. CreateFile, not _tfopen: MSVC /W4 flags _tfopen as unsafe.
FILE *CreateTextFile(LPCTSTR lpPath)
{
    HANDLE h = CreateFile(lpPath, GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
    int fd;

    if (h == INVALID_HANDLE_VALUE)
        return NULL;
    fd = _open_osfhandle((intptr_t)h, _O_WRONLY | _O_TEXT);
    if (fd == -1)
    {
        CloseHandle(h);
        return NULL;
    }
    return _fdopen(fd, "w");
}
