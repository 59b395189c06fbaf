// options.c - the command line: parsing, and bad input (help.c has --help).
// Touches nothing but the OPTIONS it fills, stdout (--help) and stderr.

#include "demo.h"

static BOOL bFilterOrOrder;     // --filter or --order was given (ParseChoice)

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
        return BadUsage(bIsFilter ? TEXT("unknown filter (sample or checked)")
                                   : TEXT("unknown order (forward, reverse or random)"), lpValue);
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
    // A word right after it that is not an option is its topic (help.c).
    for (n = 1; n < argc; n++)
        if (IsOption(argv[n], TEXT("/?")) || IsOption(argv[n], TEXT("-h")) || IsOption(argv[n], TEXT("--help")) ||
            IsOption(argv[n], TEXT("-?")) || IsOption(argv[n], TEXT("/h")))
        {
            LPCTSTR lpTopic = (n + 1 < argc && argv[n + 1][0] != TEXT('-') && argv[n + 1][0] != TEXT('/'))
                            ? argv[n + 1] : NULL;

            if (!PrintHelp(lpTopic, dwDefaultPages))
                return BadUsage(TEXT("unknown help topic (scenarios, compare, exit-codes or all)"), lpTopic);
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
                return BadUsage(TEXT("unknown scenario (see --help scenarios)"), lpValue);
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
