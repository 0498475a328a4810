; Windows installer for Stockfloor (NSIS 3), packing the one-folder build that
; installer/build.py makes in dist\Stockfloor. Build (on Windows, or on Linux with the
; Debian package nsis, which is how the test suite proves this script compiles):
;   makensis installer\stockfloor.nsi
;   python installer/build.py --installer        (build the folder, then this)
; Defines: /DVERSION=x.y.z  /DDIST=folder-to-pack  /DOUTFILE=setup.exe  /DICON=file.ico
;
; Per-machine install (Program Files, Start-menu entries for all users, an uninstaller in
; Apps & features). The database and the workstation name go into the per-machine settings
; file %ProgramData%\Stockfloor\Stockfloor.ini, which Qt reads beneath each user's own
; settings (and the command line too). Silent roll-out to many workstations:
;   StockfloorSetup.exe /S /DATABASE=postgresql://stock:secret@server/stockfloor /WORKSTATION=DOCK-1
; An upgrade is the newer setup run the same way: the folder is replaced, the settings file is
; kept (no /DATABASE = keep the one already there). The uninstaller keeps it too.

Unicode true
!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"
!include "nsDialogs.nsh"
!include "x64.nsh"

!ifndef VERSION
  !define VERSION "0.1.0"
!endif
!ifndef DIST
  !define DIST "..\dist\Stockfloor"
!endif
!ifndef OUTFILE
  !define OUTFILE "..\dist\StockfloorSetup-${VERSION}.exe"
!endif
!ifndef ICON
  !if /FileExists "..\build\stage\stockfloor.ico"
    !define ICON "..\build\stage\stockfloor.ico"
  !endif
!endif
!ifdef ICON
  !define MUI_ICON "${ICON}"
  !define MUI_UNICON "${ICON}"
!endif
!if ! /FileExists "${DIST}\stockfloor.exe"
  !error "${DIST}\stockfloor.exe is missing: build the folder first (python installer/build.py)"
!endif

!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Stockfloor"
!define SETTINGS "$APPDATA\Stockfloor\Stockfloor.ini"
!define MENU "$SMPROGRAMS\Stockfloor"

Name "Stockfloor"
OutFile "${OUTFILE}"
InstallDir "$PROGRAMFILES64\Stockfloor"
InstallDirRegKey HKLM "${UNINSTALL_KEY}" "InstallLocation"
RequestExecutionLevel admin
SetCompressor /SOLID lzma
VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=0 "ProductName" "Stockfloor"
VIAddVersionKey /LANG=0 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=0 "FileDescription" "Stockfloor setup"
VIAddVersionKey /LANG=0 "CompanyName" "Stockfloor"
VIAddVersionKey /LANG=0 "LegalCopyright" "Stockfloor"

Var Database
Var Workstation
Var DatabaseField

!define MUI_ABORTWARNING
!insertmacro MUI_PAGE_DIRECTORY
Page custom DatabasePage DatabasePageLeave
!insertmacro MUI_PAGE_INSTFILES
!define MUI_FINISHPAGE_RUN "$INSTDIR\stockfloor.exe"
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES

; The wizard speaks the languages Stockfloor speaks (the user's Windows language when it is one).
!insertmacro MUI_LANGUAGE "English"
!insertmacro MUI_LANGUAGE "German"
!insertmacro MUI_LANGUAGE "Spanish"
!insertmacro MUI_LANGUAGE "Polish"

LangString DatabaseTitle ${LANG_ENGLISH} "Warehouse database"
LangString DatabaseTitle ${LANG_GERMAN} "Lagerdatenbank"
LangString DatabaseTitle ${LANG_SPANISH} "Base de datos del almacén"
LangString DatabaseTitle ${LANG_POLISH} "Baza danych magazynu"
LangString DatabaseQuestion ${LANG_ENGLISH} "Which database do the workstations share?"
LangString DatabaseQuestion ${LANG_GERMAN} "Welche Datenbank teilen sich die Arbeitsplätze?"
LangString DatabaseQuestion ${LANG_SPANISH} "¿Qué base de datos comparten los puestos de trabajo?"
LangString DatabaseQuestion ${LANG_POLISH} "Z której bazy danych korzystają stanowiska?"
LangString DatabaseHelp ${LANG_ENGLISH} "A PostgreSQL URL (postgresql://user:password@server/name) or a SQLite file path. Leave empty to keep the current setting (or ask at the first start)."
LangString DatabaseHelp ${LANG_GERMAN} "Eine PostgreSQL-URL (postgresql://benutzer:passwort@server/name) oder der Pfad einer SQLite-Datei. Leer lassen, um die bisherige Einstellung zu behalten (oder beim ersten Start zu fragen)."
LangString DatabaseHelp ${LANG_SPANISH} "Una URL de PostgreSQL (postgresql://usuario:contraseña@servidor/nombre) o la ruta de un archivo SQLite. Déjelo vacío para conservar el ajuste actual (o preguntar en el primer inicio)."
LangString DatabaseHelp ${LANG_POLISH} "Adres URL PostgreSQL (postgresql://użytkownik:hasło@serwer/nazwa) lub ścieżka pliku SQLite. Pozostaw puste, aby zachować obecne ustawienie (lub zapytać przy pierwszym uruchomieniu)."
LangString Needs64Bit ${LANG_ENGLISH} "Stockfloor needs 64-bit Windows."
LangString Needs64Bit ${LANG_GERMAN} "Stockfloor braucht 64-Bit-Windows."
LangString Needs64Bit ${LANG_SPANISH} "Stockfloor necesita Windows de 64 bits."
LangString Needs64Bit ${LANG_POLISH} "Stockfloor wymaga 64-bitowego systemu Windows."

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "$(Needs64Bit)" /SD IDOK
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all
  ${GetParameters} $R0
  ${GetOptions} $R0 "/DATABASE=" $Database
  ${GetOptions} $R0 "/WORKSTATION=" $Workstation
FunctionEnd

Function DatabasePage
  !insertmacro MUI_HEADER_TEXT "$(DatabaseTitle)" "$(DatabaseQuestion)"
  nsDialogs::Create 1018
  Pop $0
  ${NSD_CreateLabel} 0 0 100% 40u "$(DatabaseHelp)"
  Pop $0
  ${NSD_CreateText} 0 44u 100% 13u "$Database"
  Pop $DatabaseField
  nsDialogs::Show
FunctionEnd

Function DatabasePageLeave
  ${NSD_GetText} $DatabaseField $Database
FunctionEnd

Section "Stockfloor" SectionMain
  SectionIn RO
  SetOutPath "$INSTDIR"
  ; an upgrade replaces the folder: files of an older version that are gone are removed first
  RMDir /r "$INSTDIR\_internal"
  File /r "${DIST}\*"
  WriteUninstaller "$INSTDIR\Uninstall.exe"

  CreateDirectory "${MENU}"
  CreateShortcut "${MENU}\Stockfloor.lnk" "$INSTDIR\stockfloor.exe"
  CreateShortcut "${MENU}\Stockfloor (demo).lnk" "$INSTDIR\stockfloor.exe" "--demo"
  CreateShortcut "${MENU}\Uninstall Stockfloor.lnk" "$INSTDIR\Uninstall.exe"

  ; per-machine settings ($APPDATA is %ProgramData% for all users): only what was given,
  ; so an upgrade keeps the rest
  CreateDirectory "$APPDATA\Stockfloor"
  ${If} $Database != ""
    WriteINIStr "${SETTINGS}" "database" "target" "$Database"
  ${EndIf}
  ${If} $Workstation != ""
    WriteINIStr "${SETTINGS}" "workstation" "name" "$Workstation"
  ${EndIf}

  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "Stockfloor"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "Stockfloor"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\stockfloor.exe"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\Uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\Uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  IntFmt $0 "0x%08X" $0
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "EstimatedSize" "$0"
SectionEnd

Section "Uninstall"
  SetRegView 64
  SetShellVarContext all
  Delete "${MENU}\Stockfloor.lnk"
  Delete "${MENU}\Stockfloor (demo).lnk"
  Delete "${MENU}\Uninstall Stockfloor.lnk"
  RMDir "${MENU}"
  ; only what the setup put there (the folder may have been chosen by hand)
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\stockfloor.exe"
  Delete "$INSTDIR\Uninstall.exe"
  RMDir "$INSTDIR"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
  ; %ProgramData%\Stockfloor\Stockfloor.ini stays: a reinstall finds its database again
SectionEnd
