; Windows installer for Stockfloor (Inno Setup 6), packing the one-folder build that
; installer/build.py makes in dist\Stockfloor. Build:  iscc installer\stockfloor.iss
;
; Per-machine install (Program Files, Start-menu entry for all users). The database and the
; workstation name go into the per-machine settings file
; %ProgramData%\Stockfloor\Stockfloor.ini, which Qt reads beneath each user's own settings.
; Silent roll-out to many workstations:
;   StockfloorSetup.exe /VERYSILENT /DATABASE="postgresql://stock:secret@server/stockfloor"
; An upgrade is the newer setup run the same way: same AppId, the folder is replaced, the
; settings file is kept (no /DATABASE = keep the one already there).

#define AppVersion GetEnv("STOCKFLOOR_VERSION")
#if AppVersion == ""
  #define AppVersion "0.1.0"
#endif

[Setup]
AppId={{6A0C3A52-5F0E-4C4B-9E55-3B8E2B7B9A11}
AppName=Stockfloor
AppVersion={#AppVersion}
AppPublisher=Stockfloor
DefaultDirName={autopf}\Stockfloor
DefaultGroupName=Stockfloor
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\dist
OutputBaseFilename=StockfloorSetup-{#AppVersion}
SetupIconFile=..\build\stage\stockfloor.ico
UninstallDisplayIcon={app}\stockfloor.exe
Compression=lzma2/max
SolidCompression=yes
CloseApplications=yes
WizardStyle=modern

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "de"; MessagesFile: "compiler:Languages\German.isl"
Name: "es"; MessagesFile: "compiler:Languages\Spanish.isl"
Name: "pl"; MessagesFile: "compiler:Languages\Polish.isl"

[Files]
; The whole build folder; files of an older version that are gone are removed first.
Source: "..\dist\Stockfloor\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{group}\Stockfloor"; Filename: "{app}\stockfloor.exe"; IconFilename: "{app}\stockfloor.exe"
Name: "{group}\Stockfloor (demo)"; Filename: "{app}\stockfloor.exe"; Parameters: "--demo"
Name: "{group}\Uninstall Stockfloor"; Filename: "{uninstallexe}"

[INI]
Filename: "{commonappdata}\Stockfloor\Stockfloor.ini"; Section: "database"; Key: "target"; String: "{code:DatabaseTarget}"; Check: DatabaseGiven
Filename: "{commonappdata}\Stockfloor\Stockfloor.ini"; Section: "workstation"; Key: "name"; String: "{param:WORKSTATION}"; Check: WorkstationGiven

[Dirs]
Name: "{commonappdata}\Stockfloor"; Permissions: users-readexec

[Run]
Filename: "{app}\stockfloor.exe"; Description: "Start Stockfloor"; Flags: nowait postinstall skipifsilent

[Code]
var
  DatabasePage: TInputQueryWizardPage;

procedure InitializeWizard;
begin
  DatabasePage := CreateInputQueryPage(wpSelectDir, 'Warehouse database',
    'Which database do the workstations share?',
    'A PostgreSQL URL (postgresql://user:password@server/name) or a SQLite file path. ' +
    'Leave empty to keep the current setting (or ask at the first start).');
  DatabasePage.Add('Database:', False);
  DatabasePage.Values[0] := ExpandConstant('{param:DATABASE}');
end;

function DatabaseTarget(Param: String): String;
begin
  Result := Trim(DatabasePage.Values[0]);
end;

function DatabaseGiven: Boolean;
begin
  Result := DatabaseTarget('') <> '';
end;

function WorkstationGiven: Boolean;
begin
  Result := ExpandConstant('{param:WORKSTATION}') <> '';
end;
