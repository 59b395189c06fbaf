// selftest_checks.c - the checks --selftest runs, one line each: what the
// child runs and what it must give. To add a check, add a line at the end
// (the numbers of the others stay). Names are stable: a harness keys its
// history on them.

#include "demo.h"

#define LARGE_VERIFY_PAGES 512  // "--verify at a larger size": 2 MiB of 4 KiB pages, quick under Wine

static const SELFTEST_CHECK g_checks[] =
{
    { "documented run", TEXT(""), EXIT_OK, "demo", 80 },
    { "scenario overrun", TEXT("--scenario overrun"), EXIT_OUT_OF_PAGES, "overrun", 80 },
    { "scenario not-a-fault", TEXT("--scenario not-a-fault"), EXIT_NOT_A_PAGE_FAULT, "not-a-fault", 80 },
    { "scenario commit-fails", TEXT("--scenario commit-fails"), EXIT_COMMIT_FAILED, "commit-fails", 80 },
    { "verify 80 pages", TEXT("--verify"), EXIT_OK, "verify", 80 },
    { "verify 512 pages", TEXT("--verify --pages 512"), EXIT_OK, "verify", LARGE_VERIFY_PAGES },
    { "tour rule 1", TEXT("--tour 1"), EXIT_OK, NULL, 0 },
    { "tour rule 2", TEXT("--tour 2"), EXIT_OK, NULL, 0 },
    { "tour rule 3", TEXT("--tour 3"), EXIT_OK, NULL, 0 },
    { "tour rule 4", TEXT("--tour 4"), EXIT_OK, NULL, 0 },
    { "tour rule 5", TEXT("--tour 5"), EXIT_OK, NULL, 0 },
    { "tour rule 6", TEXT("--tour 6"), EXIT_OK, NULL, 0 },
    { "tour rule 7", TEXT("--tour 7"), EXIT_OK, NULL, 0 },
    { "tour rule 8", TEXT("--tour 8"), EXIT_OK, NULL, 0 },
    { "tour rule 9", TEXT("--tour 9"), EXIT_OK, NULL, 0 },
    { "tour rule 10", TEXT("--tour 10"), EXIT_OK, NULL, 0 },
    { "compare invariants 64 pages", TEXT("--compare --pages 64 --reps 1"), EXIT_OK, NULL, 0 },
    // The sample's limits (docs/SCENARIOS.md) with the sample's filter, then
    // each scenario whose outcome differs with the checked filter (not
    // not-a-fault: exit 3 and the same trace with either).
    { "scenario stray-write", TEXT("--scenario stray-write"), EXIT_OUT_OF_PAGES, "stray-write", 80 },
    { "scenario read-only", TEXT("--scenario read-only"), EXIT_OK, "read-only", 80 },
    { "scenario decommit", TEXT("--scenario decommit"), EXIT_OUT_OF_PAGES, "decommit", 80 },
    { "scenario guard-grow", TEXT("--scenario guard-grow"), EXIT_NOT_A_PAGE_FAULT, "guard-grow", 80 },
    { "scenario stray-write, checked filter", TEXT("--filter checked --scenario stray-write"), EXIT_FAULT_OUTSIDE,
      "checked-stray-write", 80 },
    { "scenario read-only, checked filter", TEXT("--filter checked --scenario read-only"), EXIT_FAULT_COMMITTED,
      "checked-read-only", 80 },
    { "scenario decommit, checked filter", TEXT("--filter checked --scenario decommit"), EXIT_OK,
      "checked-decommit", 80 },
    { "scenario guard-grow, checked filter", TEXT("--filter checked --scenario guard-grow"), EXIT_OK,
      "checked-guard-grow", 80 },
    { "scenario overrun, checked filter", TEXT("--filter checked --scenario overrun"), EXIT_FAULT_OUTSIDE,
      "checked-overrun", 80 },
    { "scenario commit-fails, checked filter", TEXT("--filter checked --scenario commit-fails"), EXIT_FAULT_OUTSIDE,
      "checked-commit-fails", 80 },
    // Pages out of order: the checked filter commits each where it faults.
    { "order reverse, checked filter", TEXT("--filter checked --order reverse"), EXIT_OK, "demo", 80 },
    { "order random, checked filter", TEXT("--filter checked --order random"), EXIT_OK, "demo", 80 },
};

// See demo.h.
const SELFTEST_CHECK *SelftestChecks(DWORD *pdwCount)
{
    *pdwCount = (DWORD)(sizeof g_checks / sizeof g_checks[0]);
    return g_checks;
}

// selftest.c keeps room for SELFTEST_MAX_CHECKS outcomes: a longer table
// does not compile.
typedef char CHECKS_FIT_THE_OUTCOMES[(sizeof g_checks / sizeof g_checks[0]) <= SELFTEST_MAX_CHECKS ? 1 : -1];
