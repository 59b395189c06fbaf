// help.c - --help: one 80x25 screen, and the details by topic (--help TOPIC).
// Prints on stdout only; options.c decides when, and reports a bad topic.
//
// Each piece of a text is in its own TEXT(): MSVC /W4 wants no narrow piece
// beside a wide one. Every line is at most 79 columns wide: on a console,
// after the 80th column the cursor goes to the next row by itself, and the
// newline would add an empty one (ENABLE_WRAP_AT_EOL_OUTPUT, on by default:
// learn.microsoft.com, SetConsoleMode and High-Level Console Modes). Every
// topic but "all" is at most 23 lines, so that it stays on a 25-line screen
// with the command and the next prompt (tests/options.sh checks both).

#include "demo.h"

// The usage line and the one sentence on what the program does;
// dwDefaultPages is the demo's PAGELIMIT.
static void PrintWhat(DWORD dwDefaultPages)
{
    _tprintf(TEXT("Usage: pagefault_demo [options]\n")
             TEXT("Reserves a region of %lu pages, lets a loop write to every byte, and commits\n")
             TEXT("one page per fault from a structured exception filter; then releases it.\n"),
             dwDefaultPages);
}

// The table of scenarios with the exit code each intends, with both filters
// (tests/exit-note.sh's table must be the same; tests/scenarios.sh checks).
static void PrintScenarioTable(void)
{
    _tprintf(TEXT("  --scenario NAME  run into one of the sample's limits; the exit code it\n")
             TEXT("                   intends with the sample's filter, and with --filter checked:\n")
             TEXT("                     overrun       4 14 touch one page past the reservation\n")
             TEXT("                     not-a-fault   3  3 divide by zero inside the guarded block\n")
             TEXT("                     commit-fails  5 14 let the filter commit past the region\n")
             TEXT("                     stray-write   4 14 write once outside the region\n")
             TEXT("                     read-only     0 15 write to a page committed read-only\n")
             TEXT("                     decommit      4  0 decommit a written page, write it again\n")
             TEXT("                     guard-grow    3  0 grow through a guard page, as a stack\n"));
}

// --filter and --order, in full.
static void PrintFilterAndOrder(void)
{
    _tprintf(TEXT("  --filter NAME    sample (default): the documented filter, which commits the\n")
             TEXT("                   next page in sequence; checked: commits the page that\n")
             TEXT("                   faulted if the region reserves it, else gives up (exit 14\n")
             TEXT("                   outside the region, 15 on a committed page)\n")
             TEXT("  --order NAME     the loop's page order: forward (default), reverse, random\n"));
}

// --compare and the options that go with it, with ranges and defaults.
static void PrintCompareOptions(void)
{
    _tprintf(TEXT("  --compare        time five ways to touch a region, side by side (--pages\n")
             TEXT("                   1 to %d; default %d with --compare)\n")
             TEXT("    --stride K     with --compare: touch every K-th page (1 to 1000;\n")
             TEXT("                   default 1)\n")
             TEXT("    --reps R       with --compare: repeat R times, report the median\n")
             TEXT("                   (1 to 1000; default %d)\n")
             TEXT("    --csv          with --compare: print CSV instead of a table\n")
             TEXT("    --chunk K      with --compare: pages the chunked way commits per fault\n")
             TEXT("                   (1 to %d; default the allocation granularity)\n")
             TEXT("    --commit-limit MiB  with --compare: run in a job object with this\n")
             TEXT("                   per-process commit limit (1 to 2047)\n"),
             MAX_PAGES, COMPARE_DEFAULT_PAGES, COMPARE_DEFAULT_REPS, MAX_PAGES);
}

// All 16 exit codes, one a line, in demo.h's words.
static void PrintExitCodes(void)
{
    _tprintf(TEXT("Exit codes (each outcome its own, so a script can tell them apart):\n")
             TEXT("   0  ok: the loop ran to the end and the region was released\n")
             TEXT("   1  setup failed: the region could not be reserved or prepared\n")
             TEXT("   2  bad command line\n")
             TEXT("   3  not a page fault: the filter saw another exception\n")
             TEXT("   4  out of pages: the filter had committed its page limit already\n")
             TEXT("   5  commit failed: VirtualAlloc(MEM_COMMIT) failed in the filter\n")
             TEXT("   6  release failed: VirtualFree(MEM_RELEASE) failed\n")
             TEXT("   7  verify failed: --verify found memory that did not behave\n")
             TEXT("   8  a tour rule not as documented (--tour)\n")
             TEXT("   9  interrupted (Ctrl-C or Ctrl-Break)\n")
             TEXT("  10  compare failed: --compare found a way that did not behave\n")
             TEXT("  11  self-test failed: a --selftest check failed or timed out\n")
             TEXT("  12  output lost (stdout): writing to it failed (closed, disk full)\n")
             TEXT("  13  crashed: an exception that nothing handled\n")
             TEXT("  14  a fault outside the region (--filter checked)\n")
             TEXT("  15  an access violation on a committed page (--filter checked)\n"));
}

// The one screen: every option on one line, and where the details are.
static void PrintOneScreen(DWORD dwDefaultPages)
{
    PrintWhat(dwDefaultPages);
    _tprintf(TEXT("\n")
             TEXT("  --pages N          reserve and touch N pages (1 to %d; default %lu)\n")
             TEXT("  --scenario NAME    run into one of the sample's limits (7 of them)\n")
             TEXT("  --filter NAME      the filter that commits: sample (default) or checked\n")
             TEXT("  --order NAME       the loop's page order: forward (default), reverse, random\n")
             TEXT("  -v, --verbose      name the mechanism, show counters, explain each fault\n")
             TEXT("  --pause            wait for Enter before the release (prompt on stderr)\n")
             TEXT("  --verify           check the memory after the loop and after the release\n")
             TEXT("  --tour [N]         show the VirtualAlloc/VirtualFree rules, or only rule N\n")
             TEXT("  --step             stop at each fault and tour rule; Enter shows what happens\n")
             TEXT("  --compare          time five ways to touch a region, side by side, with:\n")
             TEXT("    --stride K  --reps R  --csv  --chunk K  --commit-limit MiB\n")
             TEXT("  --selftest [--junit FILE]  run every check in child processes (TAP, JUnit)\n")
             TEXT("  --version          what this build is and what it runs on\n")
             TEXT("  -h, --help [TOPIC] this screen or a topic (also /? -? /h), wherever it stands\n")
             TEXT("\n")
             TEXT("Exit codes: 0 ok, 2 bad command line; all 16: pagefault_demo --help exit-codes\n")
             TEXT("Topics: scenarios, compare (its options), exit-codes, all (everything)\n")
             TEXT("Details: pagefault_demo --help TOPIC, and docs/OPTIONS.md\n"),
             MAX_PAGES, dwDefaultPages);
}

// Everything: every option in full, then every exit code.
static void PrintAll(DWORD dwDefaultPages)
{
    PrintWhat(dwDefaultPages);
    _tprintf(TEXT("\n")
             TEXT("Options:\n")
             TEXT("  --pages N        reserve and touch N pages (1 to %d; default %lu,\n")
             TEXT("                   with --compare %d)\n"), MAX_PAGES, dwDefaultPages, COMPARE_DEFAULT_PAGES);
    PrintScenarioTable();
    PrintFilterAndOrder();
    _tprintf(TEXT("  -v, --verbose    name the exception mechanism, show the system's counters,\n")
             TEXT("                   and explain each access violation: address, working set,\n")
             TEXT("                   the page before and after the commit, what the filter\n")
             TEXT("                   returns, a map\n")
             TEXT("  --pause          wait for Enter before the release (prompt on stderr)\n")
             TEXT("  --verify         check the memory after the loop and after the release\n")
             TEXT("  --tour [N]       show the VirtualAlloc/VirtualFree rules on this system,\n")
             TEXT("                   or only rule N (1 to %d)\n")
             TEXT("  --step           stop at each access violation before the filter acts, and\n")
             TEXT("                   before each tour rule's results; Enter shows what\n")
             TEXT("                   happened (prompt on stderr; at end of input, carry on)\n"), TOUR_RULES);
    PrintCompareOptions();
    _tprintf(TEXT("  --selftest [--junit FILE]  run every check in child processes: TAP on\n")
             TEXT("                   stdout, JUnit XML to FILE; exit 0 or 11 (docs/SMOKE-TEST.md)\n")
             TEXT("  --version        what this build is and what it runs on\n")
             TEXT("  -h, --help, /?   print this text (also -? and /h), wherever it stands;\n")
             TEXT("                   --help TOPIC prints one part: scenarios, compare,\n")
             TEXT("                   exit-codes, all (this text)\n")
             TEXT("\n"));
    PrintExitCodes();
}

// See demo.h.
BOOL PrintHelp(LPCTSTR lpTopic, DWORD dwDefaultPages)
{
    if (lpTopic == NULL)
        PrintOneScreen(dwDefaultPages);
    else if (_tcscmp(lpTopic, TEXT("scenarios")) == 0)
    {
        _tprintf(TEXT("Scenarios (docs/SCENARIOS.md): each runs into one of the sample's limits.\n")
                 TEXT("The exit code a scenario intends is its expected outcome, not a failure\n")
                 TEXT("(make's run target says so and exits 0).\n")
                 TEXT("\n"));
        PrintScenarioTable();
        PrintFilterAndOrder();
    }
    else if (_tcscmp(lpTopic, TEXT("compare")) == 0)
    {
        _tprintf(TEXT("Compare (docs/OPTIONS.md): the ways to touch a region, measured side by side.\n")
                 TEXT("No other option goes with --compare but these and --pages N.\n")
                 TEXT("\n"));
        PrintCompareOptions();
    }
    else if (_tcscmp(lpTopic, TEXT("exit-codes")) == 0)
        PrintExitCodes();
    else if (_tcscmp(lpTopic, TEXT("all")) == 0)
        PrintAll(dwDefaultPages);
    else
        return FALSE;
    return TRUE;
}
