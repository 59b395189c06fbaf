/* teb_repro.c - why 32-bit Wine under qemu-user breaks once a program has
 * two threads and one of them takes a signal (tests/arch/x86/teb-repro.sh).
 *
 * Every thread has its own TEB, at fs:[0x18]. 32-bit Wine on Linux gives
 * fs one GDT TLS selector (set_thread_area), the same number in every
 * thread with each thread's own base: the Linux kernel keeps those TLS
 * descriptors per thread. qemu-user keeps one GDT for the whole process
 * (do_set_thread_area writes the process's one table), so the descriptor
 * holds the base of the thread that set it last, and a thread that loads
 * fs again (qemu does on the return from every signal handler) gets that
 * other thread's TEB.
 *
 * teb_repro signal: the main thread notes its TEB, starts a second thread
 * (which notes its own and waits), makes a system call, then takes an
 * access violation that a vectored handler repairs (under Wine: SIGSEGV,
 * and a return from the handler), and reads its TEB again. The last line
 * says "(its own)" where threads work (Windows; Wine on a kernel that runs
 * 32-bit code) and "(the second thread's)" where they do not.
 *
 * teb_repro start: starts two threads back to back (as selftest.c's
 * RunChild starts its two pipe readers), 20 rounds; each notes its TEB.
 * Each line says whether the two live threads had one TEB between them
 * ("SAME": each set the shared descriptor, then loaded the other's).
 *
 * Exit code 0: threads kept their own TEBs; 1: they did not; 2: a call
 * failed or no mode was given. Under qemu the process may crash once the
 * damage is done, and its exit code is then not to be trusted: read the
 * lines (teb-repro.sh does).
 */
#include <windows.h>
#include <stdio.h>
#include <string.h>

static void *volatile g_pOtherTeb;
static HANDLE g_hStarted, g_hDone;
static char *volatile g_pPage;

/* The calling thread's TEB, read through fs as Windows code does. */
static void *CurrentTeb(void)
{
    void *p;

    __asm__ volatile("movl %%fs:0x18, %0" : "=r"(p));
    return p;
}

/* Vectored handler: makes the read-only page writable, retries the store. */
static LONG CALLBACK OnFault(EXCEPTION_POINTERS *pInfo)
{
    DWORD dwOld;

    if (pInfo->ExceptionRecord->ExceptionCode != EXCEPTION_ACCESS_VIOLATION)
        return EXCEPTION_CONTINUE_SEARCH;
    VirtualProtect(g_pPage, 4096, PAGE_READWRITE, &dwOld);
    return EXCEPTION_CONTINUE_EXECUTION;
}

/* The second thread: notes its TEB, says so, waits to be let go. */
static DWORD WINAPI Other(LPVOID p)
{
    (void)p;
    g_pOtherTeb = CurrentTeb();
    SetEvent(g_hStarted);
    WaitForSingleObject(g_hDone, INFINITE);
    return 0;
}

/* Names the TEB p: the main thread's own, the second thread's, or neither. */
static const char *Whose(void *p, void *pMine)
{
    return p == pMine ? "its own" : p == g_pOtherTeb ? "the second thread's" : "neither";
}

static void *volatile g_pPair[2];
static HANDLE g_hGo;

/* One of a pair of threads: notes its TEB in g_pPair[i], waits for g_hGo. */
static DWORD WINAPI PairThread(LPVOID lpIndex)
{
    g_pPair[(INT_PTR)lpIndex] = CurrentTeb();
    WaitForSingleObject(g_hGo, INFINITE);
    return 0;
}

/* teb_repro start (see above). */
static int StartPairs(void)
{
    int r, nSame = 0, nRounds = 20;

    for (r = 0; r < nRounds; r++)
    {
        HANDLE h[2];

        g_hGo = CreateEventA(NULL, TRUE, FALSE, NULL);
        g_pPair[0] = g_pPair[1] = NULL;
        h[0] = CreateThread(NULL, 0, PairThread, (LPVOID)0, 0, NULL);
        h[1] = CreateThread(NULL, 0, PairThread, (LPVOID)1, 0, NULL);
        if (g_hGo == NULL || h[0] == NULL || h[1] == NULL)
            return 2;
        while (g_pPair[0] == NULL || g_pPair[1] == NULL)
            Sleep(1);
        if (g_pPair[0] == g_pPair[1])
            nSame++;
        printf("round %d: the two threads' TEBs %p %p%s\n", r + 1, g_pPair[0], g_pPair[1],
               g_pPair[0] == g_pPair[1] ? " SAME" : "");
        fflush(stdout);
        SetEvent(g_hGo);
        WaitForMultipleObjects(2, h, TRUE, INFINITE);
        CloseHandle(h[0]);
        CloseHandle(h[1]);
        CloseHandle(g_hGo);
    }
    printf("%d of %d rounds: two live threads with one TEB\n", nSame, nRounds);
    return nSame != 0;
}

/* teb_repro signal (see above). */
static int SignalAfterStart(void)
{
    void *pMine = CurrentTeb(), *pAfter;
    HANDLE hThread;

    g_hStarted = CreateEventA(NULL, TRUE, FALSE, NULL);
    g_hDone = CreateEventA(NULL, TRUE, FALSE, NULL);
    g_pPage = (char *)VirtualAlloc(NULL, 4096, MEM_COMMIT, PAGE_READONLY);
    if (g_hStarted == NULL || g_hDone == NULL || g_pPage == NULL ||
        AddVectoredExceptionHandler(1, OnFault) == NULL)
        return 2;
    hThread = CreateThread(NULL, 0, Other, NULL, 0, NULL);
    if (hThread == NULL)
        return 2;
    WaitForSingleObject(g_hStarted, INFINITE);
    printf("main thread's TEB %p, second thread's %p\n", pMine, g_pOtherTeb);
    Sleep(10);
    printf("after a system call: the main thread's TEB is %s\n", Whose(CurrentTeb(), pMine));
    fflush(stdout);
    g_pPage[0] = 1;             /* Faults once; OnFault makes it writable */
    pAfter = CurrentTeb();
    printf("after a handled access violation: the main thread's TEB is %p (%s)\n", pAfter, Whose(pAfter, pMine));
    fflush(stdout);
    SetEvent(g_hDone);
    WaitForSingleObject(hThread, INFINITE);
    return pAfter == pMine ? 0 : 1;
}

int main(int argc, char *argv[])
{
    if (argc == 2 && strcmp(argv[1], "start") == 0)
        return StartPairs();
    if (argc == 2 && strcmp(argv[1], "signal") == 0)
        return SignalAfterStart();
    fputs("usage: teb_repro start|signal\n", stderr);
    return 2;
}
