@echo off
rem build.bat - build the Reserving and Committing Memory demo with MSVC,
rem run it, and compare each trace with the stored one, byte for byte.
rem Runs from any directory. See "build.bat /?" and README.md.

setlocal EnableExtensions
set "ROOT=%~dp0"
set "BUILD=%ROOT%build"
set "EXE=%BUILD%\pagefault_demo.exe"
set "CC=cl"
set "DEFINES="
set "EXTRA="
set "PREBUILT="

:parse
if "%~1"=="" goto parsed
if "%~1"=="/?" goto usage
if /i "%~1"=="-h" goto usage
if /i "%~1"=="--help" goto usage
if /i "%~1"=="/unicode" (
    set "DEFINES=/DUNICODE /D_UNICODE"
    shift
    goto parse
)
if /i "%~1"=="/clang" (
    rem clang-cl keeps a __except for a fault in the same function only with /EHa.
    set "CC=clang-cl"
    set "EXTRA=/EHa"
    shift
    goto parse
)
if /i "%~1"=="/exe" (
    if "%~2"=="" (
        echo build.bat: /exe needs the path of an .exe
        call :usage_text
        exit /b 2
    )
    set "PREBUILT=%~f2"
    shift
    shift
    goto parse
)
echo build.bat: unknown option: %~1
call :usage_text
exit /b 2

:usage
call :usage_text
exit /b 0

:usage_text
echo Usage: build.bat [/unicode] [/clang] [/exe PATH]
echo.
echo Builds src\*.c into build\pagefault_demo.exe with /W4 /WX, runs it,
echo and compares each trace with the stored one using fc /b.
echo.
echo   /unicode   build with UNICODE and _UNICODE defined
echo   /clang     build with clang-cl (with /EHa) instead of cl
echo   /exe PATH  skip the build and check an existing .exe
echo   -h or /?   print this text
echo.
echo Exit codes: 0 every trace matches, 1 the build failed, 2 bad option,
echo 3 no C compiler found, 4 a run or a trace did not match,
echo 5 fc cannot compare files here.
exit /b 0

:parsed
if defined PREBUILT (
    set "EXE=%PREBUILT%"
    goto run
)

rem Find the compiler on PATH; else set up the newest Visual Studio with vswhere.
call :find_on_path %CC%.exe
if not defined FOUND call :setup_visual_studio
if not defined FOUND call :find_on_path %CC%.exe
if not defined FOUND (
    echo No C compiler found: %CC%.exe is not on PATH, and vswhere found no Visual Studio
    echo with the C++ tools. Open a "Developer Command Prompt for VS", or install Visual
    echo Studio or the Build Tools with the "Desktop development with C++" workload
    echo ^(for /clang also "C++ Clang tools for Windows"^), then run build.bat again.
    exit /b 3
)

if not exist "%BUILD%" mkdir "%BUILD%"
echo Building %EXE% with %CC% %DEFINES% %EXTRA%
"%FOUND%" /nologo /W4 /WX /O2 %EXTRA% %DEFINES% /Fo"%BUILD%\\" /Fe"%EXE%" "%ROOT%src\*.c"
if errorlevel 1 (
    echo Build failed.
    exit /b 1
)

:run
if not exist "%EXE%" (
    echo build.bat: no such file: %EXE%
    exit /b 4
)
if not exist "%BUILD%" mkdir "%BUILD%"
set "FAILED=0"
set "CANCOMPARE=1"
call :check_fc || set "CANCOMPARE="
call :expect "" expected_output.txt 0
call :expect "--scenario overrun" tests\expected\overrun.txt 4
call :expect "--scenario not-a-fault" tests\expected\not-a-fault.txt 3
call :expect "--scenario commit-fails" tests\expected\commit-fails.txt 5
call :expect "--verify" tests\expected\verify.txt 0
if not "%FAILED%"=="0" (
    echo FAILED: at least one exit code or trace did not match.
    exit /b 4
)
if not defined CANCOMPARE (
    echo Exit codes match, but no trace was compared: fc cannot compare here.
    exit /b 5
)
echo PASS: every trace and exit code matches.
exit /b 0

rem :expect "ARGS" EXPECTED_FILE EXIT_CODE - run, check the exit code, compare.
:expect
set "OUT=%BUILD%\stdout.txt"
"%EXE%" %~1 > "%OUT%"
set "RC=%errorlevel%"
if not "%RC%"=="%~3" (
    echo FAIL pagefault_demo %~1: exit code %RC%, expected %~3
    set "FAILED=1"
    exit /b 0
)
if not defined CANCOMPARE (
    echo exit code ok, trace NOT compared: pagefault_demo %~1 ^(exit %RC%^)
    exit /b 0
)
fc /b "%ROOT%%~2" "%OUT%" > nul
if errorlevel 1 (
    echo FAIL pagefault_demo %~1: stdout differs from %~2
    fc /b "%ROOT%%~2" "%OUT%"
    set "FAILED=1"
    exit /b 0
)
echo PASS pagefault_demo %~1 ^(exit %RC%^)
exit /b 0

rem :check_fc - fc must tell two different files apart, or a match means nothing.
:check_fc
> "%BUILD%\fc-a.txt" echo a
> "%BUILD%\fc-b.txt" echo b
fc /b "%BUILD%\fc-a.txt" "%BUILD%\fc-b.txt" > nul 2> nul
if errorlevel 1 exit /b 0
echo fc reported no difference between two different files, so it cannot compare
echo traces here ^(Wine's fc.exe is a stub^). Nothing was compared.
exit /b 1

rem :find_on_path NAME - sets FOUND to the full path of NAME, or clears it.
:find_on_path
set "FOUND="
for %%I in (%1) do set "FOUND=%%~$PATH:I"
exit /b 0

rem :setup_visual_studio - run VsDevCmd.bat of the newest Visual Studio with C++ tools.
:setup_visual_studio
set "VSWHERE=%ProgramFiles(x86)%\Microsoft Visual Studio\Installer\vswhere.exe"
if not exist "%VSWHERE%" exit /b 0
set "VSINSTALL="
for /f "usebackq delims=" %%I in (`"%VSWHERE%" -latest -products * -requires Microsoft.VisualStudio.Component.VC.Tools.x86.x64 -property installationPath`) do set "VSINSTALL=%%I"
if not defined VSINSTALL exit /b 0
set "HOSTARCH=x64"
if /i "%PROCESSOR_ARCHITECTURE%"=="x86" set "HOSTARCH=x86"
if /i "%PROCESSOR_ARCHITECTURE%"=="ARM64" set "HOSTARCH=arm64"
echo Setting up Visual Studio from %VSINSTALL% for %HOSTARCH%
call "%VSINSTALL%\Common7\Tools\VsDevCmd.bat" -no_logo -arch=%HOSTARCH% -host_arch=%HOSTARCH%
rem clang-cl, when installed with Visual Studio, is not always on PATH.
if /i "%CC%"=="clang-cl" if exist "%VSINSTALL%\VC\Tools\Llvm\x64\bin\clang-cl.exe" set "PATH=%VSINSTALL%\VC\Tools\Llvm\x64\bin;%PATH%"
exit /b 0
