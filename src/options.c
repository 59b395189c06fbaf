// options.c - the command line: parsing, the usage text, and bad input.
// Touches nothing but the OPTIONS it fills, stdout (--help) and stderr.

#include "demo.h"

static BOOL bFilterOrOrder;     // --filter or --order was given (ParseChoice)

// The full usage text, on f; dwDefaultPages is the demo's PAGELIMIT.
static void PrintUsage(FILE *f, DWORD dwDefaultPages)
{
    // Each piece in its own TEXT(): MSVC /W4 wants no narrow piece beside a wide one.
    _ftprintf(f,
        TEXT("Usage: pagefault_demo [options]\n")
        TEXT("\n")
        TEXT("Reserves a region of %lu pages, lets a loop write to every byte, and commits\n")
        TEXT("one page per page fault from a structured exception filter, then releases\n")
        TEXT("the region.\n")
        TEXT("\n")
        TEXT("Options:\n")
        TEXT("  --pages N        reserve and touch N pages (1 to %d; default %lu,\n")
        TEXT("                   with --compare %d)\n")
        TEXT("  --scenario NAME  run into one of the sample's limits; the exit code it\n")
        TEXT("                   intends with the sample's filter, and with --filter checked:\n")
        TEXT("                     overrun       4 14 touch one page past the reservation\n")
        TEXT("                     not-a-fault   3  3 divide by zero inside the guarded block\n")
        TEXT("                     commit-fails  5 14 let the filter commit past the region\n")
        TEXT("                     stray-write   4 14 write once outside the region\n")
        TEXT("                     read-only     0 15 write to a page committed read-only\n")
        TEXT("                     decommit      4  0 decommit a written page, write it again\n")
        TEXT("                     guard-grow    3  0 grow through a guard page, as a stack\n")
        TEXT("  --filter NAME    sample (default): the documented filter, which commits the\n")
        TEXT("                   next page in sequence; checked: commits the page that\n")
        TEXT("                   faulted if the region reserves it, else gives up (exit 14\n")
        TEXT("                   outside the region, 15 on a committed page)\n")
        TEXT("  --order NAME     the loop's page order: forward (default), reverse, random\n")
        TEXT("  -v, --verbose    name the exception mechanism, show the system's counters,\n")
        TEXT("                   and explain each access violation: address, working set,\n")
        TEXT("                   the page before and after the commit, what the filter\n")
        TEXT("                   returns, a map\n")
        TEXT("  --pause          wait for Enter before the release (prompt on stderr)\n")
        TEXT("  --verify         check the memory after the loop and after the release\n")
        TEXT("  --tour [N]       show the VirtualAlloc/VirtualFree rules on this system,\n")
        TEXT("                   or only rule N (1 to %d)\n")
        TEXT("  --step           stop at each access violation before the filter acts, and\n")
        TEXT("                   before each tour rule's results; Enter shows what\n")
        TEXT("                   happened (prompt on stderr; at end of input, carry on)\n")
        TEXT("  --compare        time five ways to touch a region, side by side\n")
        TEXT("    --stride K     with --compare: touch every K-th page (1 to 1000;\n")
        TEXT("                   default 1)\n")
        TEXT("    --reps R       with --compare: repeat R times, report the median\n")
        TEXT("                   (1 to 1000; default %d)\n")
        TEXT("    --csv          with --compare: print CSV instead of a table\n")
        TEXT("    --chunk K      with --compare: pages the chunked way commits per fault\n")
        TEXT("                   (1 to %d; default the allocation granularity)\n")
        TEXT("    --commit-limit MiB  with --compare: run in a job object with this\n")
        TEXT("                   per-process commit limit (1 to 2047)\n")
        TEXT("  --selftest [--junit FILE]  run every check in child processes: TAP on\n")
        TEXT("                   stdout, JUnit XML to FILE; exit 0 or 11 (docs/SMOKE-TEST.md)\n")
        TEXT("  --version        what this build is and what it runs on\n")
        TEXT("  -h, --help, /?   print this text (also -? and /h), wherever it stands\n")
        TEXT("\n")
        TEXT("Exit codes: 0 ok, 1 setup failed, 2 bad command line, 3 not a page fault,\n")
        TEXT("4 out of pages, 5 commit failed, 6 release failed, 7 verify failed, ")
        TEXT("8 a tour\n")
        TEXT("rule not as documented, 9 interrupted (Ctrl-C or Ctrl-Break), 10 compare\n")
        TEXT("failed, 11 self-test failed, 12 output lost (stdout), 13 crashed.\n"),
        dwDefaultPages, MAX_PAGES, dwDefaultPages, COMPARE_DEFAULT_PAGES, TOUR_RULES, COMPARE_DEFAULT_REPS,
        MAX_PAGES);
}

// After the reason for bad input: the one-line synopsis and where the rest
// is, on stderr, so the reason stays on a 25-line screen. Returns 2.
static int ShortUsage(void)
{
    _ftprintf(stderr, TEXT("Usage: pagefault_demo [options]\n")
                      TEXT("Try 'pagefault_demo --help' for more.\n"));
    return EXIT_BAD_USAGE;
}

// Prints "pagefault_demo: REASON: WHAT" and the short usage on stderr;
// returns the exit code, 2.
static int BadUsage(LPCTSTR lpReason, LPCTSTR lpWhat)
{
    _ftprintf(stderr, TEXT("pagefault_demo: %s: %s\n"), lpReason, lpWhat);
    return ShortUsage();
}

// Reads a whole number from 1 to dwMax into *pdwValue: digits only, no
// sign, no spaces, nothing after. Returns FALSE, *pdwValue unchanged, if not.
static BOOL ParseCount(LPCTSTR lpText, DWORD dwMax, DWORD *pdwValue)
{
    ULONGLONG ullValue = 0;

    if (lpText == NULL || *lpText == TEXT('\0'))
        return FALSE;
    for (; *lpText != TEXT('\0'); lpText++)
    {
        if (*lpText < TEXT('0') || *lpText > TEXT('9'))
            return FALSE;
        ullValue = ullValue * 10 + (ULONGLONG)(*lpText - TEXT('0'));
        if (ullValue > dwMax)
            return FALSE;
    }
    if (ullValue == 0)
        return FALSE;
    *pdwValue = (DWORD)ullValue;
    return TRUE;
}

// Names the first option given that only the demo run takes (--scenario,
// --verbose, --pause, --verify; with bPagesToo --pages, with bStepToo
// --step), or returns NULL if none was given.
static LPCTSTR DemoOnlyOption(const OPTIONS *pOpt, BOOL bScenario, BOOL bPagesToo, BOOL bStepToo)
{
    if (bPagesToo && pOpt->dwPagesAsked)
        return TEXT("--pages");
    if (bScenario)
        return TEXT("--scenario");
    if (pOpt->bVerbose)
        return TEXT("--verbose");
    if (pOpt->bPause)
        return TEXT("--pause");
    if (pOpt->bVerify)
        return TEXT("--verify");
    if (bStepToo && pOpt->bStep)
        return TEXT("--step");
    return NULL;
}

// TRUE if the argument is exactly that option.
static BOOL IsOption(LPCTSTR lpArg, LPCTSTR lpName)
{
    return _tcscmp(lpArg, lpName) == 0;
}

// --filter NAME or --order NAME (lpArg, with lpValue the next argument or
// NULL) into *pOpt. Returns -1 if good, else the exit code after saying why.
static int ParseChoice(LPCTSTR lpArg, LPCTSTR lpValue, OPTIONS *pOpt)
{
    static BOOL bFilter, bOrder;    // Given already
    BOOL bIsFilter = IsOption(lpArg, TEXT("--filter"));

    if (bIsFilter ? bFilter : bOrder)
        return BadUsage(TEXT("option given twice"), lpArg);
    if (lpValue == NULL)
        return BadUsage(bIsFilter ? TEXT("option needs a filter name (sample or checked)")
                        : TEXT("option needs an order (forward, reverse or random)"), lpArg);
    if (bIsFilter && IsOption(lpValue, TEXT("sample")))
        pOpt->filter = FILTER_SAMPLE;
    else if (bIsFilter && IsOption(lpValue, TEXT("checked")))
        pOpt->filter = FILTER_CHECKED;
    else if (!bIsFilter && IsOption(lpValue, TEXT("forward")))
        pOpt->order = ORDER_FORWARD;
    else if (!bIsFilter && IsOption(lpValue, TEXT("reverse")))
        pOpt->order = ORDER_REVERSE;
    else if (!bIsFilter && IsOption(lpValue, TEXT("random")))
        pOpt->order = ORDER_RANDOM;
    else
        return BadUsage(bIsFilter ? TEXT("unknown filter") : TEXT("unknown order"), lpValue);
    if (bIsFilter)
        bFilter = TRUE;
    else
        bOrder = TRUE;
    bFilterOrOrder = TRUE;
    return -1;
}

// See demo.h.
int ParseCommandLine(int argc, TCHAR *argv[], DWORD dwDefaultPages, OPTIONS *pOpt)
{
    int n;
    BOOL bScenario = FALSE;
    LPCTSTR lpMisfit;           // An option the chosen lab does not take

    ZeroMemory(pOpt, sizeof *pOpt);
    // --help wins wherever it stands, whatever else is on the line (so
    // "--pages 0 --help" and "--help --pages 0" both print it and exit 0).
    for (n = 1; n < argc; n++)
        if (IsOption(argv[n], TEXT("/?")) || IsOption(argv[n], TEXT("-h")) || IsOption(argv[n], TEXT("--help")) ||
            IsOption(argv[n], TEXT("-?")) || IsOption(argv[n], TEXT("/h")))
        {
            PrintUsage(stdout, dwDefaultPages);
            return EXIT_OK;
        }
    n = RunSmokeTestOptions(argc, argv);        // --version, --selftest (selftest.c)
    if (n >= 0)
        return n;
    for (n = 1; n < argc; n++)
    {
        LPCTSTR lpArg = argv[n];
        LPCTSTR lpValue = (n + 1 < argc) ? argv[n + 1] : NULL;

        if (IsOption(lpArg, TEXT("--pages")) || IsOption(lpArg, TEXT("--stride")) ||
                 IsOption(lpArg, TEXT("--reps")) || IsOption(lpArg, TEXT("--chunk")) ||
                 IsOption(lpArg, TEXT("--commit-limit")))
        {
            DWORD *pdw = IsOption(lpArg, TEXT("--pages")) ? &pOpt->dwPagesAsked
                       : IsOption(lpArg, TEXT("--stride")) ? &pOpt->dwStride
                       : IsOption(lpArg, TEXT("--chunk")) ? &pOpt->dwChunk
                       : IsOption(lpArg, TEXT("--commit-limit")) ? &pOpt->dwCommitLimitMiB : &pOpt->dwReps;
            // A commit limit under 2 GiB, so that its bytes fit a 32-bit SIZE_T.
            DWORD dwMax = (pdw == &pOpt->dwStride || pdw == &pOpt->dwReps) ? 1000
                        : (pdw == &pOpt->dwCommitLimitMiB) ? 2047 : MAX_PAGES;

            if (*pdw != 0)
                return BadUsage(TEXT("option given twice"), lpArg);
            if (lpValue == NULL)
                return BadUsage(TEXT("option needs a number"), lpArg);
            if (!ParseCount(lpValue, dwMax, pdw))
            {
                _ftprintf(stderr, TEXT("pagefault_demo: %s takes a whole number from 1 to %lu, not '%s'\n"),
                          lpArg, dwMax, lpValue);
                return ShortUsage();
            }
            n++;
        }
        else if (IsOption(lpArg, TEXT("--filter")) || IsOption(lpArg, TEXT("--order")))
        {
            int nFound = ParseChoice(lpArg, lpValue, pOpt);

            if (nFound != -1)
                return nFound;
            n++;
        }
        else if (IsOption(lpArg, TEXT("--scenario")))
        {
            if (bScenario)
                return BadUsage(TEXT("option given twice"), lpArg);
            if (lpValue == NULL)
                return BadUsage(TEXT("option needs a scenario name"), lpArg);
            if (IsOption(lpValue, TEXT("overrun")))
                pOpt->scenario = SCENARIO_OVERRUN;
            else if (IsOption(lpValue, TEXT("not-a-fault")))
                pOpt->scenario = SCENARIO_NOT_A_FAULT;
            else if (IsOption(lpValue, TEXT("commit-fails")))
                pOpt->scenario = SCENARIO_COMMIT_FAILS;
            else if (IsOption(lpValue, TEXT("stray-write")))
                pOpt->scenario = SCENARIO_STRAY_WRITE;
            else if (IsOption(lpValue, TEXT("read-only")))
                pOpt->scenario = SCENARIO_READ_ONLY;
            else if (IsOption(lpValue, TEXT("decommit")))
                pOpt->scenario = SCENARIO_DECOMMIT;
            else if (IsOption(lpValue, TEXT("guard-grow")))
                pOpt->scenario = SCENARIO_GUARD_GROW;
            else
                return BadUsage(TEXT("unknown scenario"), lpValue);
            bScenario = TRUE;
            n++;
        }
        else
        {
            BOOL *pFlag = IsOption(lpArg, TEXT("-v")) || IsOption(lpArg, TEXT("--verbose")) ? &pOpt->bVerbose
                        : IsOption(lpArg, TEXT("--pause"))  ? &pOpt->bPause
                        : IsOption(lpArg, TEXT("--verify")) ? &pOpt->bVerify
                        : IsOption(lpArg, TEXT("--csv"))    ? &pOpt->bCsv
                        : IsOption(lpArg, TEXT("--step"))   ? &pOpt->bStep
                        : NULL;
            MODE mode = IsOption(lpArg, TEXT("--tour")) ? MODE_TOUR
                      : IsOption(lpArg, TEXT("--compare")) ? MODE_COMPARE : MODE_DEMO;

            if (pFlag == NULL && mode == MODE_DEMO)
                return BadUsage(TEXT("unknown option"), lpArg);
            if ((pFlag != NULL && *pFlag) || (mode != MODE_DEMO && pOpt->mode == mode))
                return BadUsage(TEXT("option given twice"), lpArg);
            if (mode != MODE_DEMO && pOpt->mode != MODE_DEMO)
                return BadUsage(TEXT("--tour and --compare exclude each other"), lpArg);
            if (pFlag != NULL)
                *pFlag = TRUE;
            else
                pOpt->mode = mode;
            // --tour N: a following argument that is not an option is the rule number.
            if (mode == MODE_TOUR && lpValue != NULL && lpValue[0] != TEXT('-') && lpValue[0] != TEXT('/'))
            {
                if (!ParseCount(lpValue, TOUR_RULES, &pOpt->dwTourRule))
                {
                    _ftprintf(stderr, TEXT("pagefault_demo: --tour takes a rule number from 1 to %d, not '%s'\n"),
                              TOUR_RULES, lpValue);
                    return ShortUsage();
                }
                n++;
            }
        }
    }

    // Combinations that make no sense.
    if (pOpt->mode != MODE_COMPARE && (pOpt->dwStride || pOpt->dwReps || pOpt->bCsv || pOpt->dwChunk ||
                                       pOpt->dwCommitLimitMiB))
        return BadUsage(TEXT("needs --compare"), pOpt->dwStride ? TEXT("--stride")
                        : pOpt->dwReps ? TEXT("--reps") : pOpt->dwChunk ? TEXT("--chunk")
                        : pOpt->dwCommitLimitMiB ? TEXT("--commit-limit") : TEXT("--csv"));
    lpMisfit = DemoOnlyOption(pOpt, bScenario, pOpt->mode == MODE_TOUR, pOpt->mode == MODE_COMPARE);
    if (pOpt->mode != MODE_DEMO && lpMisfit != NULL)
        return BadUsage(pOpt->mode == MODE_TOUR ? TEXT("option does not go with --tour")
                        : TEXT("option does not go with --compare"), lpMisfit);
    if (pOpt->mode != MODE_DEMO && (bFilterOrOrder || pOpt->filter != FILTER_SAMPLE || pOpt->order != ORDER_FORWARD))
        return BadUsage(pOpt->mode == MODE_TOUR ? TEXT("option does not go with --tour")
                        : TEXT("option does not go with --compare"), TEXT("--filter or --order"));
    // Three runs reach the release: the sample's filter makes read-only's
    // page writable; the checked one recommits decommit's page and grows
    // guard-grow's guard. Every other scenario exits from the __except block.
    if (bScenario && (pOpt->bVerify || pOpt->bPause)
        && !(pOpt->scenario == SCENARIO_READ_ONLY && pOpt->filter == FILTER_SAMPLE)
        && !((pOpt->scenario == SCENARIO_DECOMMIT || pOpt->scenario == SCENARIO_GUARD_GROW)
             && pOpt->filter == FILTER_CHECKED))
        return BadUsage(pOpt->scenario == SCENARIO_READ_ONLY || pOpt->scenario == SCENARIO_DECOMMIT
                        || pOpt->scenario == SCENARIO_GUARD_GROW
                        ? TEXT("with this filter it exits before the release")
                        : TEXT("this scenario exits before the release"),
                        pOpt->bVerify ? TEXT("--verify") : TEXT("--pause"));
    return -1;
}
