@echo off
rem build.bat - build the Reserving and Committing Memory demo with MSVC cl
rem or clang-cl, run it, and check every trace, exit code and rule.
rem Runs from any directory. See "build.bat /?" and README.md.
rem
rem Style, for paths with spaces, ( ) & or ^ in them: no path is ever
rem expanded inside a ( ... ) block (real cmd expands a whole block when it
rem reads it, so a ")" in a path closes the block early); every path is
rem quoted; the flow uses goto and single-line if. "call :label" is always
rem followed by "if errorlevel 1", never "||" (Wine's cmd runs the right side
rem of "call :label || x" even after "exit /b 0").

setlocal EnableExtensions DisableDelayedExpansion
set "ROOT=%~dp0"
set "BUILD=%ROOT%build"
set "EXE=%BUILD%\pagefault_demo.exe"
set "USE_CLANG="
set "DEFINES="
set "PREBUILT="
set "PREBUILT_ARG="
set "MIN_CLANG=19"

:parse
if "%~1"=="" goto parsed
if "%~1"=="/?" goto usage
if /i "%~1"=="-h" goto usage
if /i "%~1"=="--help" goto usage
if /i "%~1"=="/unicode" goto opt_unicode
if /i "%~1"=="/clang" goto opt_clang
if /i "%~1"=="/exe" goto opt_exe
echo build.bat: unknown option: "%~1"
call :usage_text
exit /b 2

:opt_unicode
set "DEFINES=/DUNICODE /D_UNICODE"
shift
goto parse

:opt_clang
set "USE_CLANG=1"
shift
goto parse

:opt_exe
if "%~2"=="" goto exe_needs_path
set "PREBUILT=%~f2"
set "PREBUILT_ARG=%~2"
shift
shift
goto parse

:exe_needs_path
echo build.bat: /exe needs the path of an .exe
call :usage_text
exit /b 2

:usage
call :usage_text
exit /b 0

rem :usage_text - the help text, on stdout.
:usage_text
echo Usage: build.bat [/unicode] [/clang]
echo        build.bat /exe PATH
echo.
echo Builds src\*.c into build\pagefault_demo.exe with /W4 /WX, runs it, and
echo checks each trace (fc /b), each exit code, --tour, --compare, --selftest.
echo.
echo   /unicode   build with UNICODE and _UNICODE defined
echo   /clang     build with clang-cl 19 or newer (with /EHa) instead of cl;
echo              Visual Studio's own clang-cl is used before one on PATH
echo   /exe PATH  skip the build and check an existing .exe
echo              (not together with /unicode or /clang)
echo   -h or /?   print this text
echo.
echo The last line is the verdict: "PASS: N checks", "FAIL: K of N checks" (K
echo failed), or "INCOMPLETE: K of N checks not compared (why)" (none failed).
echo Exit codes: 0 PASS, 1 the build failed, 2 bad option,
echo 3 no suitable compiler (none found, clang-cl older than 19, or one that
echo   builds for a CPU this PC cannot run), 4 FAIL, 5 INCOMPLETE (fc cannot
echo   compare files here, as under Wine), 6 the /exe file does not exist.
exit /b 0

rem ---- Options that do not go together, and /exe ---------------------------

:parsed
if not defined PREBUILT goto build
if defined USE_CLANG goto exe_conflict
if defined DEFINES goto exe_conflict
if not exist "%PREBUILT%" goto exe_missing
set "EXE=%PREBUILT%"
goto checks

:exe_conflict
echo build.bat: /exe checks an existing .exe, so /unicode and /clang do not apply to it
call :usage_text
exit /b 2

:exe_missing
echo build.bat: /exe: no such file: "%PREBUILT_ARG%" (looked for "%PREBUILT%")
exit /b 6

rem ---- Build -----------------------------------------------------------------

:build
call :find_hosts
echo Host: %HOST_ARCH%, target: %TARGET_ARCH%
call :check_can_run
if errorlevel 1 exit /b 3
call :find_visual_studio
if defined USE_CLANG goto find_clang

rem cl: a Developer Command Prompt's, else Visual Studio's, else one on PATH.
rem "Set up already" means VSCMD_ARG_TGT_ARCH, which every VsDevCmd.bat and
rem vcvars*.bat sets: an INCLUDE alone may be another SDK's, machine-wide.
if not defined VSCMD_ARG_TGT_ARCH call :setup_visual_studio
if errorlevel 1 exit /b 3
call :find_on_path cl.exe
if not defined FOUND goto no_compiler
set "CCEXE=%FOUND%"
set "CCNAME=cl"
set "CCFLAGS="
set "VERFILE=%BUILD%\compiler-version.txt"
if not exist "%BUILD%" mkdir "%BUILD%"
rem cl alone prints its banner (with the version and target) on stderr.
"%CCEXE%" 2> "%VERFILE%" > nul
call :first_line
echo Compiler: "%CCEXE%"
echo Version: %LINE%
goto compile

:find_clang
rem clang-cl: Visual Studio's own first (it matches the installed
rem libraries), then PATH, where GitHub's images and users often have an
rem older standalone LLVM.
set "FOUND="
if defined VSINSTALL call :find_vs_clang
if not defined FOUND call :find_on_path clang-cl.exe
if not defined FOUND goto no_compiler
set "CCEXE=%FOUND%"
set "CCNAME=clang-cl"
if not exist "%BUILD%" mkdir "%BUILD%"
set "VERFILE=%BUILD%\compiler-version.txt"
"%CCEXE%" --version > "%VERFILE%" 2>&1
call :first_line
call :clang_major %LINE%
echo Compiler: "%CCEXE%"
echo Version: %LINE%
if "%CCMAJOR%"=="0" goto clang_unknown
if %CCMAJOR% LSS %MIN_CLANG% goto clang_too_old
rem Visual Studio's environment (INCLUDE, LIB) for the target, if not set up
rem yet (VSCMD_ARG_TGT_ARCH, as for cl above).
if not defined VSCMD_ARG_TGT_ARCH call :setup_visual_studio
if errorlevel 1 exit /b 3
rem /EHa: clang keeps a __except for a fault in the same function only with
rem it. The target is explicit, so an x64 clang-cl never builds x64 objects
rem against the x86 or ARM64 libraries that LIB names.
set "CCFLAGS=/EHa --target=%CLANG_TARGET%"
goto compile

:clang_unknown
echo build.bat: cannot tell the version of "%CCEXE%" from its --version line, so
echo it cannot be trusted to be clang 19 or newer.
goto clang_install_help

:clang_too_old
echo build.bat: this clang-cl is version %CCMAJOR% ("%CCEXE%"); version %MIN_CLANG% or newer
echo is needed (older ones mishandle /EHa: clang 14 crashes at /O2, and an old one
echo may drop the __except).
:clang_install_help
echo Install "C++ Clang Compiler for Windows" with the Visual
echo Studio Installer (a current Visual Studio 2022 ships clang 19), or LLVM 19
echo or newer from https://github.com/llvm/llvm-project/releases, and run build.bat again.
exit /b 3

:no_compiler
if defined USE_CLANG goto no_clang
echo No C compiler found: cl.exe is not on PATH, and vswhere found no Visual Studio
echo with the C++ tools.
goto no_compiler_help
:no_clang
echo No clang-cl found: none in Visual Studio's VC\Tools\Llvm, none on PATH.
:no_compiler_help
echo Open a "Developer Command Prompt for VS", or install Visual Studio or the Build
echo Tools with the "Desktop development with C++" workload (for /clang also
echo "C++ Clang Compiler for Windows"; on an ARM64 PC also "C++ ARM64 build tools"),
echo then run build.bat again.
exit /b 3

:compile
if not exist "%BUILD%" mkdir "%BUILD%"
rem A failed build must never be followed by a test of yesterday's exe.
if exist "%EXE%" del /f /q "%EXE%"
if exist "%EXE%" goto cannot_delete
echo Building "%EXE%" with %CCNAME% %CCFLAGS% %DEFINES%
"%CCEXE%" /nologo /W4 /WX /O2 %CCFLAGS% %DEFINES% /Fo"%BUILD%\\" /Fe"%EXE%" "%ROOT%src\*.c"
rem Any code but 0 is a failure: a crashed compiler returns a negative
rem code, which "if errorlevel 1" does not catch.
set "BUILDRC=%errorlevel%"
if not "%BUILDRC%"=="0" goto build_failed
if not exist "%EXE%" goto build_no_exe
goto checks

:cannot_delete
echo build.bat: cannot delete the old "%EXE%" (is it running?), so a new build could not be told from it.
exit /b 1

:build_failed
echo Build failed: %CCNAME% exited with code %BUILDRC%.
exit /b 1

:build_no_exe
echo Build failed: %CCNAME% exited with code 0 but wrote no "%EXE%".
exit /b 1

rem ---- Checks ----------------------------------------------------------------

:checks
if not exist "%BUILD%" mkdir "%BUILD%"
set "CHECKS=0"
set "FAILS=0"
set "UNCOMPARED=0"
set "CANCOMPARE=1"
call :check_fc
if errorlevel 1 set "CANCOMPARE="
call :expect "" expected_output.txt 0
call :expect "--scenario overrun" tests\expected\overrun.txt 4
call :expect "--scenario not-a-fault" tests\expected\not-a-fault.txt 3
call :expect "--scenario commit-fails" tests\expected\commit-fails.txt 5
call :expect "--verify" tests\expected\verify.txt 0
call :check_tour
call :check_compare
call :check_selftest
rem The verdict, three ways: a check that could not be compared is neither
rem a pass nor a failure, so a harness that looks for FAIL sees only real
rem failures, and one that looks for PASS never sees an unchecked trace.
if not "%FAILS%"=="0" goto verdict_fail
if not "%UNCOMPARED%"=="0" goto verdict_incomplete
echo PASS: %CHECKS% checks
exit /b 0

:verdict_fail
if not "%UNCOMPARED%"=="0" echo Besides, %UNCOMPARED% traces were not compared: fc cannot compare files here.
echo FAIL: %FAILS% of %CHECKS% checks
exit /b 4

:verdict_incomplete
echo Every exit code, --tour, --compare and --selftest are ok, but %UNCOMPARED% traces
echo were not compared.
echo INCOMPLETE: %UNCOMPARED% of %CHECKS% checks not compared (fc cannot compare files here)
exit /b 5

rem :expect "ARGS" EXPECTED_FILE EXIT_CODE - run, check the exit code, compare
rem stdout with the stored trace. One check; counts FAILS or UNCOMPARED.
:expect
set /a "CHECKS+=1"
set "OUT=%BUILD%\stdout.txt"
"%EXE%" %~1 > "%OUT%"
set "RC=%errorlevel%"
if not "%RC%"=="%~3" goto expect_bad_code
if not defined CANCOMPARE goto expect_uncompared
fc /b "%ROOT%%~2" "%OUT%" > nul
if errorlevel 1 goto expect_bad_trace
echo PASS pagefault_demo %~1 (exit %RC%, trace as stored)
exit /b 0

:expect_bad_code
echo FAIL pagefault_demo %~1: exit code %RC%, expected %~3
set /a "FAILS+=1"
exit /b 0

:expect_uncompared
echo exit code ok, trace NOT compared: pagefault_demo %~1
set /a "UNCOMPARED+=1"
exit /b 0

:expect_bad_trace
echo FAIL pagefault_demo %~1: stdout differs from
echo   %~2 (fc /b: offset, stored byte, new byte, in hex):
fc /b "%ROOT%%~2" "%OUT%"
set /a "FAILS+=1"
exit /b 0

rem :check_tour - --tour exits 0 and shows every rule as documented. One check.
:check_tour
set /a "CHECKS+=1"
set "OUT=%BUILD%\tour.txt"
"%EXE%" --tour > "%OUT%"
set "RC=%errorlevel%"
if not "%RC%"=="0" goto tour_bad
rem Windows' own find: a Unix find from Git or MSYS may come first on PATH.
"%SystemRoot%\System32\find.exe" "NOT as documented" "%OUT%" > nul
if not errorlevel 1 goto tour_bad
rem And its last words, "N of N rules as documented.", with the same N twice
rem (N is not fixed here: the tour may grow).
set "RULES="
for /f "usebackq tokens=1-4" %%A in ("%OUT%") do if "%%B %%D"=="of rules" if "%%A"=="%%C" set "RULES=%%A"
if not defined RULES goto tour_bad
echo PASS pagefault_demo --tour (exit 0, %RULES% of %RULES% rules as documented)
exit /b 0

:tour_bad
echo FAIL pagefault_demo --tour: exit code %RC% (expected 0), or a rule NOT as documented:
type "%OUT%"
set /a "FAILS+=1"
exit /b 0

rem :check_compare - a small --compare --csv run: exit 0, and per way the
rem pages, stride, pages touched, KiB committed, faults and values (never
rem the timings). One check.
:check_compare
set /a "CHECKS+=1"
set "OUT=%BUILD%\compare.csv"
"%EXE%" --compare --pages 64 --stride 4 --reps 3 --csv > "%OUT%"
set "RC=%errorlevel%"
if not "%RC%"=="0" goto compare_bad
set "ROWS="
for /f "usebackq skip=1 tokens=1-4,10,12,13 delims=," %%A in ("%OUT%") do call :add_row %%A "%%A %%B %%C %%D %%E %%F %%G"
if not "%ROWS%"=="|on-demand 64 4 16 64 16 yes|up-front 64 4 16 256 0 yes|explicit 64 4 16 64 0 yes" goto compare_bad
echo PASS pagefault_demo --compare --pages 64 --stride 4 --csv (invariants ok)
exit /b 0

:compare_bad
echo FAIL pagefault_demo --compare --pages 64 --stride 4 --csv: exit code %RC% (expected 0),
echo or the invariants differ. Expected (way pages stride touched KiB faults values):
echo   on-demand 64 4 16 64 16 yes / up-front 64 4 16 256 0 yes / explicit 64 4 16 64 0 yes
echo Got: "%ROWS%"
set /a "FAILS+=1"
exit /b 0

rem :add_row WAY "TEXT" - appends |TEXT to ROWS for the three documented
rem ways; rows of any other way are not this check's business.
:add_row
if /i not "%~1"=="on-demand" if /i not "%~1"=="up-front" if /i not "%~1"=="explicit" exit /b 0
set "ROWS=%ROWS%|%~2"
exit /b 0

rem :check_selftest - --selftest exits 0 (every check of the exe's own passed),
rem its stdout starts "TAP version 14" and has no "not ok" line (Windows'
rem find, as in :check_tour). One check.
rem Any other exit code fails it, named (11 means the self-test found
rem failures, 13 that the program crashed; 2 an exe with no --selftest).
:check_selftest
set /a "CHECKS+=1"
set "OUT=%BUILD%\selftest.tap"
"%EXE%" --selftest > "%OUT%"
set "RC=%errorlevel%"
call :code_name %RC%
if not "%RC%"=="0" goto selftest_bad
set "VERFILE=%OUT%"
call :first_line
if not "%LINE%"=="TAP version 14" goto selftest_bad
"%SystemRoot%\System32\find.exe" "not ok" "%OUT%" > nul
if not errorlevel 1 goto selftest_bad
echo PASS pagefault_demo --selftest (exit 0, TAP, no "not ok")
exit /b 0

:selftest_bad
echo FAIL pagefault_demo --selftest: exit code %RC% (%CODENAME%);
echo expected 0 and a TAP stream with no "not ok" line. Its failing checks:
"%SystemRoot%\System32\find.exe" "not ok" < "%OUT%"
set /a "FAILS+=1"
exit /b 0

rem :code_name RC - sets CODENAME to what pagefault_demo's exit code RC means.
:code_name
set "CODENAME=see --help"
if "%~1"=="0" set "CODENAME=every check passed"
if "%~1"=="2" set "CODENAME=bad option: no --selftest?"
if "%~1"=="10" set "CODENAME=compare failed"
if "%~1"=="11" set "CODENAME=the self-test found failures"
if "%~1"=="12" set "CODENAME=output lost"
if "%~1"=="13" set "CODENAME=crashed"
exit /b 0

rem :check_fc - fc must tell two different files apart, or a match means
rem nothing. Returns 1 if it cannot.
:check_fc
> "%BUILD%\fc-a.txt" echo a
> "%BUILD%\fc-b.txt" echo b
fc /b "%BUILD%\fc-a.txt" "%BUILD%\fc-b.txt" > nul 2> nul
if errorlevel 1 exit /b 0
echo fc reported no difference between two different files, so it cannot compare
echo traces here (Wine's fc.exe is a stub). No trace will be compared.
exit /b 1

rem ---- Helpers -----------------------------------------------------------------

rem :find_on_path NAME - sets FOUND to the full path of NAME on PATH, or clears it.
:find_on_path
set "FOUND="
for %%I in (%1) do set "FOUND=%%~$PATH:I"
exit /b 0

rem :first_line - sets LINE to the first line of the file VERFILE names (empty
rem if none). By name, not as an argument: call doubles a ^ in its arguments.
:first_line
set "LINE="
for /f "usebackq delims=" %%L in ("%VERFILE%") do if not defined LINE set "LINE=%%L"
exit /b 0

rem :clang_major WORDS... - sets CCMAJOR to the major version in a "clang
rem version X.Y.Z ..." line (the word after "version"), 0 if there is none.
rem (Plain arguments and shift: Wine's cmd does not expand !VAR! in a for list.)
:clang_major
set "CCMAJOR="
set "VER="
:clang_major_next
if "%~1"=="" goto clang_major_done
if /i "%~1"=="version" set "VER=%~2"
if defined VER goto clang_major_done
shift
goto clang_major_next
:clang_major_done
if defined VER for /f "delims=." %%M in ("%VER%") do set "CCMAJOR=%%M"
set /a "CCMAJOR=CCMAJOR" 2> nul
if not defined CCMAJOR set "CCMAJOR=0"
exit /b 0

rem :find_hosts - HOST_ARCH is the machine's (x86, x64, arm64); TARGET_ARCH
rem is what this cmd runs as, so a 32-bit cmd on 64-bit Windows builds x86;
rem a Developer Command Prompt's own target wins. CLANG_TARGET matches it.
:find_hosts
set "TARGET_ARCH=x64"
if /i "%PROCESSOR_ARCHITECTURE%"=="x86" set "TARGET_ARCH=x86"
if /i "%PROCESSOR_ARCHITECTURE%"=="ARM64" set "TARGET_ARCH=arm64"
set "HOST_ARCH=%TARGET_ARCH%"
if /i "%PROCESSOR_ARCHITEW6432%"=="AMD64" set "HOST_ARCH=x64"
if /i "%PROCESSOR_ARCHITEW6432%"=="ARM64" set "HOST_ARCH=arm64"
if defined VSCMD_ARG_TGT_ARCH set "TARGET_ARCH=%VSCMD_ARG_TGT_ARCH%"
set "CLANG_TARGET=x86_64-pc-windows-msvc"
if /i "%TARGET_ARCH%"=="x86" set "CLANG_TARGET=i686-pc-windows-msvc"
if /i "%TARGET_ARCH%"=="arm64" set "CLANG_TARGET=aarch64-pc-windows-msvc"
exit /b 0

rem :check_can_run - returns 1, with a message, when this PC cannot run
rem programs built for TARGET_ARCH, as in an x64-to-ARM64 cross prompt on an
rem x64 PC: every check would then fail for a reason that is not the
rem program's. A PC runs its own kind, x86 on x64 (WOW64), and x86 and x64
rem on ARM64 (emulation; x64 from Windows 11 on).
:check_can_run
if /i "%TARGET_ARCH%"=="%HOST_ARCH%" exit /b 0
if /i "%TARGET_ARCH%"=="x86" exit /b 0
if /i "%TARGET_ARCH%"=="x64" if /i "%HOST_ARCH%"=="arm64" exit /b 0
echo build.bat: this prompt builds for %TARGET_ARCH% (VSCMD_ARG_TGT_ARCH), but this is an
echo %HOST_ARCH% PC, which cannot run %TARGET_ARCH% programs, so no check could run here.
echo Open a Developer Command Prompt for %HOST_ARCH%, or a plain Command Prompt (build.bat
echo then sets up Visual Studio itself), or run build.bat on an %TARGET_ARCH% PC.
exit /b 1

rem :find_visual_studio - sets VSINSTALL to the newest Visual Studio with the
rem C++ tools for TARGET_ARCH, via vswhere; clears it if there is none.
rem %ProgramFiles(x86)% is not defined on 32-bit Windows: %ProgramFiles% too.
:find_visual_studio
set "VSINSTALL="
set "VSWHERE="
set "PF86=%ProgramFiles(x86)%"
if defined PF86 if exist "%PF86%\Microsoft Visual Studio\Installer\vswhere.exe" set "VSWHERE=%PF86%\Microsoft Visual Studio\Installer\vswhere.exe"
if not defined VSWHERE if exist "%ProgramFiles%\Microsoft Visual Studio\Installer\vswhere.exe" set "VSWHERE=%ProgramFiles%\Microsoft Visual Studio\Installer\vswhere.exe"
if not defined VSWHERE call :find_on_path vswhere.exe
if not defined VSWHERE set "VSWHERE=%FOUND%"
if not defined VSWHERE exit /b 0
set "VSCOMPONENT=Microsoft.VisualStudio.Component.VC.Tools.x86.x64"
if /i "%TARGET_ARCH%"=="arm64" set "VSCOMPONENT=Microsoft.VisualStudio.Component.VC.Tools.ARM64"
for /f "usebackq delims=" %%I in (`call "%%VSWHERE%%" -latest -products * -requires %%VSCOMPONENT%% -property installationPath`) do set "VSINSTALL=%%I"
if defined VSINSTALL exit /b 0
rem A PC with only a Preview of Visual Studio: vswhere lists it only with
rem -prerelease.
for /f "usebackq delims=" %%I in (`call "%%VSWHERE%%" -latest -prerelease -products * -requires %%VSCOMPONENT%% -property installationPath`) do set "VSINSTALL=%%I"
if defined VSINSTALL echo No release of Visual Studio has the C++ tools; using a prerelease one.
exit /b 0

rem :find_vs_clang - sets FOUND to Visual Studio's clang-cl for this host
rem (VC\Tools\Llvm\x64\bin, ARM64\bin, or bin for x86), or clears it.
:find_vs_clang
set "FOUND="
set "LLVMBIN=%VSINSTALL%\VC\Tools\Llvm\x64\bin"
if /i "%HOST_ARCH%"=="arm64" set "LLVMBIN=%VSINSTALL%\VC\Tools\Llvm\ARM64\bin"
if /i "%HOST_ARCH%"=="x86" set "LLVMBIN=%VSINSTALL%\VC\Tools\Llvm\bin"
if exist "%LLVMBIN%\clang-cl.exe" set "FOUND=%LLVMBIN%\clang-cl.exe"
exit /b 0

rem :setup_visual_studio - runs VsDevCmd.bat of VSINSTALL for TARGET_ARCH on
rem HOST_ARCH. On an ARM64 host it needs the ARM64-hosted tools; when only
rem the x64-hosted cross tools are there it says so and uses them
rem (emulated). Returns 1, with a message, when no tools fit the target.
:setup_visual_studio
if not defined VSINSTALL exit /b 0
set "DEVHOST=%HOST_ARCH%"
if /i not "%HOST_ARCH%"=="arm64" goto setup_run
rem The tools version VsDevCmd.bat itself takes: its vcvars.bat reads
rem Microsoft.VCToolsVersion.v143.default.txt when there is one, else
rem Microsoft.VCToolsVersion.default.txt, with for /f (which drops the
rem trailing blanks that set /p would keep).
set "MSVCVER="
set "MSVCVERFILE=%VSINSTALL%\VC\Auxiliary\Build\Microsoft.VCToolsVersion.v143.default.txt"
if not exist "%MSVCVERFILE%" set "MSVCVERFILE=%VSINSTALL%\VC\Auxiliary\Build\Microsoft.VCToolsVersion.default.txt"
if exist "%MSVCVERFILE%" for /f "usebackq tokens=1" %%V in ("%MSVCVERFILE%") do if not defined MSVCVER set "MSVCVER=%%V"
if not defined MSVCVER goto setup_run
set "MSVCROOT=%VSINSTALL%\VC\Tools\MSVC\%MSVCVER%"
if exist "%MSVCROOT%\bin\HostARM64\%TARGET_ARCH%\cl.exe" goto setup_run
if not exist "%MSVCROOT%\bin\Hostx64\%TARGET_ARCH%\cl.exe" goto setup_no_tools
echo NOTE: this is an ARM64 PC, but only the x64-hosted (cross) tools for %TARGET_ARCH% were
echo found in "%MSVCROOT%"; they run emulated. For native tools, add "MSVC C++ ARM64
echo build tools" (Microsoft.VisualStudio.Component.VC.Tools.ARM64) in the Visual Studio Installer.
set "DEVHOST=x64"

:setup_run
echo Setting up Visual Studio from "%VSINSTALL%" for %TARGET_ARCH% on %DEVHOST%
if not exist "%VSINSTALL%\Common7\Tools\VsDevCmd.bat" goto setup_no_devcmd
rem From its own folder and by bare name: "call" doubles every ^ in a quoted
rem path and expands a %...% in it once more.
pushd "%VSINSTALL%\Common7\Tools"
if errorlevel 1 goto setup_no_devcmd
call VsDevCmd.bat -no_logo -arch=%TARGET_ARCH% -host_arch=%DEVHOST%
popd
exit /b 0

:setup_no_devcmd
echo build.bat: cannot run "%VSINSTALL%\Common7\Tools\VsDevCmd.bat" (missing, or
echo its folder cannot be entered). Repair Visual Studio in the Visual Studio
echo Installer, or open a "Developer Command Prompt for VS" and run build.bat there.
exit /b 1

:setup_no_tools
echo build.bat: Visual Studio in "%VSINSTALL%" has no %TARGET_ARCH% compiler for this ARM64 PC.
echo Add "MSVC C++ ARM64 build tools" (Microsoft.VisualStudio.Component.VC.Tools.ARM64)
echo in the Visual Studio Installer, then run build.bat again.
exit /b 1
