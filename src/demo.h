// demo.h - what the files of the demo share: the exit codes, the options,
// and one declaration for every function that crosses a file.
//
//   main.c     the documented sample: the filter, ErrorExit, _tmain
//   options.c  the command line: parsing, usage, bad input
//   help.c     --help: one screen, and the details by topic
//   console.c  Ctrl-C and Ctrl-Break: exit code 9
//   guard.c    one guarded access (__try/__except, or GCC's stand-in)
//   scenario.c the set-up that makes the filter take its other branches,
//              and --order's page order
//   filter_checked.c  --filter checked: a filter that reads the fault's address
//   query.c    VirtualQuery helpers: names, counts, the region map
//   watch.c    --verbose, --pause and --verify
//   tour.c     --tour
//   compare.c  --compare: the tables, the chart, the CSV
//   compare_ways.c  --compare's ways, measured and checked; --commit-limit
//   crash.c    crash containment and lost output: exit codes 13 and 12
//   version.c  --version
//   expect.c   the traces a run should print, for --selftest
//   selftest.c --selftest: every check in a child process, TAP and JUnit
//   selftest_checks.c  the checks --selftest runs
//   junit.c    --selftest --junit: the JUnit XML file
//
// Only main.c's globals belong to the demo; every other file gets what it
// needs through parameters or from GetSystemInfo.

#ifndef DEMO_H
#define DEMO_H

// DIFFERS: MinGW-w64 would otherwise swap in its own printf; pin the
// Microsoft C runtime's printf, the one the sample and MSVC builds use.
#define __USE_MINGW_ANSI_STDIO 0

#include <windows.h>
#include <tchar.h>
#include <stdio.h>
#include <stdlib.h>             // For exit

#define MAX_PAGES 1048576       // 4 GiB of 4 KiB pages: past a DWORD byte count
#define COMPARE_DEFAULT_PAGES 16384     // 64 MiB of 4 KiB pages
#define COMPARE_DEFAULT_REPS  5
#define TOUR_RULES 10           // Rules that --tour shows

// Exit codes: each outcome has its own, so a smoke test can tell them apart.
enum
{
    EXIT_OK = 0,                // Everything worked
    EXIT_SETUP_FAILED = 1,      // The region could not be reserved or prepared
    EXIT_BAD_USAGE = 2,         // Bad command line
    EXIT_NOT_A_PAGE_FAULT = 3,  // The filter saw an exception other than an access violation
    EXIT_OUT_OF_PAGES = 4,      // The filter had committed its page limit already
    EXIT_COMMIT_FAILED = 5,     // VirtualAlloc(MEM_COMMIT) failed in the filter
    EXIT_RELEASE_FAILED = 6,    // VirtualFree(MEM_RELEASE) failed
    EXIT_VERIFY_FAILED = 7,     // --verify found memory that did not behave
    EXIT_TOUR_FAILED = 8,       // --tour saw a rule that was not as documented
    EXIT_INTERRUPTED = 9,       // Ctrl-C or Ctrl-Break (console.c)
    EXIT_COMPARE_FAILED = 10,   // --compare found a way that did not behave
    EXIT_SELFTEST_FAILED = 11,  // --selftest: a check failed or timed out
    EXIT_OUTPUT_LOST = 12,      // Writing to stdout failed (closed, disk full)
    EXIT_CRASHED = 13,          // An exception nothing handled (crash.c)
    EXIT_FAULT_OUTSIDE = 14,    // --filter checked: a fault outside the region
    EXIT_FAULT_COMMITTED = 15   // --filter checked: an access violation on a committed page
};

// Which run the command line asked for.
typedef enum
{
    SCENARIO_NONE,              // The documented run
    SCENARIO_OVERRUN,           // Touch one page more than was reserved
    SCENARIO_NOT_A_FAULT,       // Divide by zero inside the guarded block
    SCENARIO_COMMIT_FAILS,      // The filter may commit past the reservation
    SCENARIO_STRAY_WRITE,       // One write lands outside the region
    SCENARIO_READ_ONLY,         // A write to a page committed PAGE_READONLY
    SCENARIO_DECOMMIT,          // A written page is decommitted, then written again
    SCENARIO_GUARD_GROW         // The region grows through a guard page
} SCENARIO;

typedef enum { FILTER_SAMPLE, FILTER_CHECKED } FILTER;        // --filter
typedef enum { ORDER_FORWARD, ORDER_REVERSE, ORDER_RANDOM } ORDER; // --order

typedef enum { MODE_DEMO, MODE_TOUR, MODE_COMPARE } MODE;

typedef struct
{
    MODE mode;
    DWORD dwPagesAsked;         // --pages N (0: not given)
    SCENARIO scenario;
    BOOL bVerbose;
    BOOL bPause;
    BOOL bVerify;
    DWORD dwStride;             // --stride K (0: not given)
    DWORD dwReps;               // --reps R (0: not given)
    BOOL bCsv;
    DWORD dwChunk;              // --chunk K (0: not given)
    DWORD dwCommitLimitMiB;     // --commit-limit MiB (0: not given)
    DWORD dwTourRule;           // --tour N (0: every rule)
    BOOL bStep;                 // --step: wait for Enter after each rule or fault
    FILTER filter;              // --filter (FILTER_SAMPLE: not given)
    ORDER order;                // --order (ORDER_FORWARD: not given)
} OPTIONS;

// ----- main.c: the documented sample ----------------------------------------

INT PageFaultExceptionFilter(DWORD dwCode, EXCEPTION_POINTERS *lpInfo);
VOID ErrorExit(LPCTSTR lpMsg);
void ExitProcessAfterFilterGaveUp(void);

// ----- options.c --------------------------------------------------------------

// Fills *pOpt from the command line; dwDefaultPages is the demo's PAGELIMIT,
// for the usage text. Returns an exit code to end with now (after --help, or
// after bad input, which it has reported on stderr), or -1 to run.
int ParseCommandLine(int argc, TCHAR *argv[], DWORD dwDefaultPages, OPTIONS *pOpt);

// ----- help.c ---------------------------------------------------------------

// Prints the help on stdout: with lpTopic NULL the one screen, else that
// topic (scenarios, compare, exit-codes, all); dwDefaultPages is the demo's
// PAGELIMIT. Returns FALSE, printing nothing, if lpTopic is no topic.
BOOL PrintHelp(LPCTSTR lpTopic, DWORD dwDefaultPages);

// ----- console.c ------------------------------------------------------------

// From now on Ctrl-C and Ctrl-Break flush stdout, say so on stderr and exit
// with EXIT_INTERRUPTED. Should the handler not install, says why and exits
// with EXIT_SETUP_FAILED.
void InstallCtrlHandler(void);

// ----- guard.c ----------------------------------------------------------------

// An exception filter: the shape of PageFaultExceptionFilter.
typedef INT (*GUARD_FILTER)(DWORD dwCode, EXCEPTION_POINTERS *lpInfo);

// What the labs' filter is asked to do, and what it saw. The caller zeroes
// it and fills the two inputs; the counts add up over guarded accesses.
typedef struct
{
    DWORD dwChunkPages;         // In: pages to commit at a fault, from the faulting page on (0: 1)
    LPBYTE lpLimit;             // In: a chunk stops here (NULL: no limit); a fault at
                                // or past it commits its own page only
    DWORD dwFaults;             // Access violations it repaired
    DWORD dwGuardHits;          // Guard-page exceptions it let retry (the system clears the guard)
    DWORD dwLastCode;           // The exception code it saw last (0: none)
    LPVOID lpLastFault;         // Address of the last access violation
    BOOL bLastFaultWrite;       // Was it a write?
} FAULT_LOG;

// How this build runs the filter, in the words --verbose and --version
// print: "__try/__except (frame-based SEH)" where the compiler has them,
// "vectored exception handler (GCC stand-in for __try)" on GCC.
LPCTSTR GuardMechanismName(void);

// The filter the demo's __try calls: on GCC, guard.c's stand-in calls
// pfnFilter from now on (with MSVC and clang, main.c's __except names it).
void GuardUseFilter(GUARD_FILTER pfnFilter);

// One read or write of *lpByte under the guard. At a page fault the filter
// commits the page that holds the faulting address (and the pages after it,
// up to dwChunkPages, clipped at lpLimit), counts it in *pLog, and retries
// the access; at a STATUS_GUARD_PAGE_VIOLATION it counts it and retries, as
// the system has already cleared the guard. Returns the byte read (or value,
// for a write). Should the filter give up (another exception, or a failed
// commit), the process ends as the demo's __except block ends it.
BYTE GuardedAccess(volatile BYTE *lpByte, BOOL bWrite, BYTE value, FAULT_LOG *pLog);

#ifndef _MSC_VER
// GCC has no __try/__except. DIFFERS: here __try and __except are macros:
// __try runs its block once with guard.c's vectored handler armed, which
// calls PageFaultExceptionFilter at a fault and, should the filter give up,
// ExitProcessAfterFilterGaveUp, the body of the sample's __except block.
// __except(filter) drops its filter expression, and its block, though
// compiled, never runs on GCC. Inside a __try block, no break, return or
// goto: they would skip EndGuardedWrite and leave the handler armed.
void BeginGuardedWrite(void);
void EndGuardedWrite(void);
#define __try for (int bOnce_ = (BeginGuardedWrite(), 1); bOnce_; bOnce_ = (EndGuardedWrite(), 0))
#define __except(filter) if (0)
#endif

// ----- scenario.c -------------------------------------------------------------

// Reserve cbRegion bytes, no access, where the page after the region is free;
// with bFence, that page is then reserved too. Returns the base, or NULL
// with the last error set.
LPVOID ReserveWithFreePageAfter(SIZE_T cbRegion, BOOL bFence);

// Raise EXCEPTION_INT_DIVIDE_BY_ZERO from the CPU, not from RaiseException.
void RaiseIntegerDivideByZero(void);

// Before the loop, the set-up of --scenario read-only (page 1, or 0 in a
// one-page region, committed PAGE_READONLY) and guard-grow (page 0
// committed PAGE_READWRITE | PAGE_GUARD); says so on stdout. Other
// scenarios: nothing. On failure says why and exits with EXIT_SETUP_FAILED.
void ScenarioBeforeLoop(SCENARIO scenario, LPBYTE lpBase, DWORD dwRegionPages);
// Inside the guarded block, once, at the last byte of page 0: stray-write
// writes one byte in the page just past the region; decommit decommits
// page 0, so that the loop's own write there faults again. Says so on stdout.
void ScenarioEvent(SCENARIO scenario, LPBYTE lpBase, SIZE_T cbRegion);
// After the loop, read-only: the read-only page's protection now.
void ScenarioAfterLoop(SCENARIO scenario, LPBYTE lpBase, DWORD dwRegionPages);

// --order: which byte the loop's i-th write goes to. Every page of
// dwTouchPages once, pages in the order asked, bytes within a page in
// order. OrderStart first; ORDER_FORWARD is the identity.
void OrderStart(ORDER order, DWORD dwTouchPages, DWORD dwPageSize);
SIZE_T OrderedByte(SIZE_T i);

// ----- filter_checked.c ---------------------------------------------------------

// Tells the checked filter which region is its own; call before the loop.
void CheckedFilterStart(LPBYTE lpBase, DWORD dwRegionPages);
// --filter checked: reads the faulting address from the exception record.
// An access violation inside the region on a reserved page: commits that
// page and retries. A STATUS_GUARD_PAGE_VIOLATION inside the region:
// commits the next page as the new guard and retries. Anything else (an
// address outside the region, a page already committed, another exception,
// a failed commit): says which on stdout and gives up at once.
INT CheckedPageFaultFilter(DWORD dwCode, EXCEPTION_POINTERS *lpInfo);
// First thing in the __except body: if the checked filter gave up, says
// "Exiting process." and ends with the code of its branch (3, 5, 14, 15);
// otherwise returns.
void CheckedFilterExitIfItGaveUp(void);
// Access violations and guard-page exceptions the checked filter has seen.
DWORD CheckedFilterFaults(void);

// ----- query.c ----------------------------------------------------------------

// The page size, from GetSystemInfo.
DWORD SystemPageSize(void);
// The process's working set (its physical memory) in bytes, from
// K32GetProcessMemoryInfo; 0 if the system does not say.
SIZE_T ProcessWorkingSetBytes(void);
// The process's commit charge (PrivateUsage) in bytes, from
// K32GetProcessMemoryInfo; 0 if the system does not say (Wine: always 0).
SIZE_T ProcessPrivateBytes(void);
// The system's own view: the process's PageFaultCount and PrivateUsage
// (GetProcessMemoryInfo), the system's CommitTotal and CommitLimit
// (GetPerformanceInfo, pages times PageSize, in KiB). 0: not reported (Wine).
typedef struct
{
    DWORD dwPageFaults;
    SIZE_T cbPrivate;
    SIZE_T cKiBCommitTotal, cKiBCommitLimit;
} SYSTEM_COUNTERS;
void ReadSystemCounters(SYSTEM_COUNTERS *pc);
// Prints them under "  the system's counters WHEN:", one line each, a
// value or "not reported by this system", never 0 as a measurement.
void PrintSystemCounters(LPCTSTR lpWhen, const SYSTEM_COUNTERS *pc);
LPCTSTR StateName(DWORD dwState);
LPCTSTR ProtectName(DWORD dwProtect);

// Of the dwCount pages from lpFirst on, how many are committed; with
// pdwReadWrite, also how many of those are PAGE_READWRITE.
DWORD CountCommittedPages(LPBYTE lpFirst, DWORD dwCount, DWORD *pdwReadWrite);

// One line on the pages at lpAddress, from VirtualQuery:
// "  LABEL ADDRESS: N page(s) STATE PROTECTION" (reserved pages: the
// reservation's protection; free memory: "MEM_FREE, not reserved").
void PrintQuery(LPCTSTR lpLabel, LPVOID lpAddress);

// The committed pages of a region as a bar that fits 80 columns.
void PrintRegionMap(LPBYTE lpBase, DWORD dwRegionPages);

// ----- watch.c ----------------------------------------------------------------

// Notes what --verbose and --step ask for; call before the first fault.
// In the demo, --verbose's first lines: the mechanism, the system's counters.
void WatchStart(const OPTIONS *pOpt);
// --step: says on stderr that Enter shows lpNext, and waits for it (at end
// of input, returns at once, from then on without a prompt).
void StepWait(LPCTSTR lpNext);
// --verbose and --step, before the sample's filter acts: fault dwFault (from
// 1), an access violation: where it hit, the working set, that page before
// the commit, and the page the filter commits (dwPages, if fewer than
// dwPageLimit). --step says it on stderr and waits for Enter.
void ReportFault(const EXCEPTION_POINTERS *lpInfo, DWORD dwFault, LPBYTE lpBase, DWORD dwRegionPages,
                 DWORD dwPages, DWORD dwPageLimit);
// --verbose and --step for --filter checked: as ReportFault, but the page
// it is about to commit is dwCommit (lpAs, if not NULL, follows its number,
// e.g. " as the new guard"), or, if lpNoCommit is not NULL, it commits nothing
// and --step says what it does instead ("give up: ...").
void ReportCheckedFault(const EXCEPTION_POINTERS *lpInfo, DWORD dwFault, LPBYTE lpBase, DWORD dwRegionPages,
                        DWORD dwCommit, LPCTSTR lpAs, LPCTSTR lpNoCommit);
// --verbose: the page just committed, the region's committed count and map,
// and what the retried write does.
void ReportCommit(LPBYTE lpCommitted, LPBYTE lpBase, DWORD dwRegionPages);
// --verbose: the system's counters after the release (WatchStart showed
// them before the loop).
void ReportAfterRelease(void);
// --verbose: which branch made the filter give up, and why.
void ReportFilterGaveUp(DWORD dwCode, DWORD dwPages, DWORD dwPageLimit, LPBYTE lpNxtPage);
// --pause: say where the region is (stdout) and wait for Enter (prompt on
// stderr; at end of input, carry on).
void PauseBeforeRelease(LPBYTE lpBase);
// --verify, after the loop: faults, committed pages and bytes. TRUE if all hold.
BOOL VerifyAfterLoop(LPBYTE lpBase, DWORD dwRegionPages, DWORD dwFaults, DWORD dwTouchPages);
// --verify, after the release: the base address is free. TRUE if it is.
BOOL VerifyAfterRelease(LPBYTE lpBase);

// ----- tour.c and compare.c -------------------------------------------------------

// Shows each VirtualAlloc/VirtualFree rule on this system, or only rule
// pOpt->dwTourRule; --step waits after each. Returns the exit code.
int RunTour(const OPTIONS *pOpt);
// Times the ways to touch a region side by side. Returns the exit code.
int RunCompare(const OPTIONS *pOpt);

// ----- crash.c ------------------------------------------------------------------

// Call first in _tmain. No Windows Error Reporting dialog; any exception
// that nothing handles prints one line on stderr (code, address, the
// command line being run) and ends the process with EXIT_CRASHED. At exit,
// should writing stdout have failed, says so on stderr and ends with
// EXIT_OUTPUT_LOST.
void InstallCrashContainment(int argc, TCHAR *argv[]);
// Flushes stdout; should any write to it have failed, says so on stderr and
// exits with EXIT_OUTPUT_LOST. For the paths that end with ExitProcess.
void FlushStdoutOrExit(void);

// ----- compare_ways.c -----------------------------------------------------------

#define COMPARE_WAYS 5

typedef enum { WAY_ON_DEMAND, WAY_UP_FRONT, WAY_EXPLICIT, WAY_CHUNK, WAY_DOUBLING } WAY;

// One run of one way: what it measured and whether its bytes held.
typedef struct
{
    double usPerPage;           // Microseconds per touched page
    DWORD dwCommittedKiB;       // Committed bytes in the region at the end, in KiB
    DWORD dwChargeKiB;          // Growth of the process's PrivateUsage, in KiB
    DWORD dwWorkingSetKiB;      // Growth of the process's WorkingSetSize, in KiB
    DWORD dwFaults;             // Access violations the filter handled
    DWORD dwSysPageFaults;      // Growth of PageFaultCount over the touches (page faults)
    BOOL bSysPageFaults;        // PageFaultCount is reported on this system
    DWORD dwCommitError;        // 0, or the error of a commit the commit limit refused
    BOOL bValuesOk;             // Every touched byte holds its value
} WAY_RESULT;

// One way over all repetitions: its times, its last run, what it should show.
typedef struct
{
    double usMedian, usMin, usMax;
    WAY_RESULT last;
    DWORD dwExpectedKiB, dwExpectedFaults;
    DWORD dwChunk;              // Pages committed per fault (0: the way does not fault;
                                // doubling: the most it commits at one fault)
} WAY_SUMMARY;

// The name of way nWay for the table (bCsv FALSE) or the CSV.
LPCTSTR WayName(int nWay, BOOL bCsv);
// TRUE if way *pWay shows what it must: committed KiB, access violations,
// values (a way the commit limit refused shows nothing to check).
BOOL WayOk(const WAY_SUMMARY *pWay);
// --compare's measurements: applies --commit-limit if asked (its note on
// stdout, or stderr with --csv), runs the COMPARE_WAYS ways dwReps times
// each, taking turns, on dwRegionPages pages touching every dwStride-th,
// and fills pWays[COMPARE_WAYS]: times, last run, expected values. *pbAllOk:
// every way WayOk. FALSE (a line on stderr) if memory ran out; other
// failures end the process (exit 1, or the filter's code).
BOOL MeasureWays(const OPTIONS *pOpt, DWORD dwRegionPages, DWORD dwStride, DWORD dwReps, WAY_SUMMARY *pWays,
                 BOOL *pbAllOk);

// ----- version.c, expect.c, selftest.c -----------------------------------------

// --version's lines, each after lpPrefix ("" or "# " for TAP).
void PrintVersion(LPCTSTR lpPrefix);

// The stdout bytes (CRLF line ends) that the run lpKind prints with dwPages
// pages of dwPageSize bytes: "demo", "verify", "overrun", "not-a-fault",
// "commit-fails", and each scenario of docs/SCENARIOS.md by the name of its
// stored trace ("stray-write", "checked-stray-write", ...). Returns a malloc'ed buffer and its length in *pcb, or
// NULL for an unknown kind or no memory.
char *ExpectedTrace(const char *lpKind, DWORD dwPages, DWORD dwPageSize, size_t *pcb);
// --selftest-expect KIND [PAGES]: that trace on stdout, bytes as they are
// (PAGES default 80), for the suite to check against the stored traces.
// Returns the exit code (2 for an unknown kind or 0 pages).
int PrintExpectedTrace(LPCTSTR lpKind, LPCTSTR lpPages);

// --selftest [--junit FILE], --selftest-expect KIND [PAGES] (the generator's
// trace, for the suite) and --version: runs them if argv asks for one, and
// returns the exit code; returns -1 if argv asks for none of them.
int RunSmokeTestOptions(int argc, TCHAR *argv[]);

// One --selftest check: a run of this exe and what it must give.
typedef struct
{
    const char *lpName;         // Stable: harnesses key their history on it
    LPCTSTR lpArgs;             // The child's command line after the exe
    int nExit;                  // The exit code it must end with
    const char *lpKind;         // Its stdout: ExpectedTrace's kind (NULL: not compared)
    DWORD dwPages;              // Pages for the expected trace
} SELFTEST_CHECK;
#define SELFTEST_MAX_CHECKS 64  // Room for the outcomes; SelftestChecks stays below it
// The checks, in order, and their number in *pdwCount (selftest_checks.c).
const SELFTEST_CHECK *SelftestChecks(DWORD *pdwCount);

// What one check found. szWhy is empty when it passed.
typedef struct
{
    char szWhy[120];            // The failure, in a few words
    DWORD dwExit;               // The child's exit code
    DWORD dwMs;                 // How long it ran
    BOOL bTimedOut;             // Ended at the time limit (dwExit means nothing)
    long nLine;                 // First differing line (0: none)
    char szExpected[64], szGot[64], szStderr[64]; // Cut to fit 80 columns in YAML
} SELFTEST_OUTCOME;

// ----- junit.c ----------------------------------------------------------------

// Creates (or empties) the file for writing in text mode; NULL on failure.
FILE *CreateTextFile(LPCTSTR lpPath);
// JUnit XML on f: one testsuite, one testcase per check (dwChecks of them),
// a failure element with the same facts as the TAP YAML block under each
// failed one; dwMs the whole run. FALSE if writing failed.
BOOL WriteJUnit(FILE *f, const SELFTEST_CHECK *pChecks, const SELFTEST_OUTCOME *pOutcomes, DWORD dwChecks,
                DWORD dwFailed, DWORD dwMs);

#endif // DEMO_H
