; Inno Setup script: installs the one-folder build (dist\coachdesk\) for the current user.
;
;   pyinstaller --noconfirm --distpath dist --workpath build\pyinstaller packaging\coachdesk.spec
;   iscc packaging\windows\coachdesk.iss
;
; writes dist\coachdesk-<version>-windows-x86_64-setup.exe. The version is read from the built
; CoachDesk.exe (the spec writes it there from coachdesk\__init__.py), so the installer carries the
; same number as the app; "iscc /DAppVersion=1.2.3 ..." overrides it. Needs Inno Setup 6.3 or later.
; Per user: no administrator rights, installed in %LOCALAPPDATA%\Programs\CoachDesk. The uninstaller
; removes the program only: the database, backups and settings in %LOCALAPPDATA%\CoachDesk stay.
; No file is associated with CoachDesk. See packaging\README.md.

#define AppName "CoachDesk"
#define BuildDir AddBackslash(SourcePath) + "..\..\dist\coachdesk"
#define AppExe "CoachDesk.exe"
#ifndef AppVersion
  #define AppVersion GetStringFileInfo(BuildDir + "\" + AppExe, PRODUCT_VERSION)
#endif
#if AppVersion == ""
  #error dist\coachdesk\CoachDesk.exe has no version: build it with packaging\coachdesk.spec first
#endif

[Setup]
; The AppId ties upgrades and the uninstaller together: never change it.
AppId={{9B4803AF-9A59-5652-90E1-2EC7751F9C97}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=The CoachDesk team
AppComments=Offline-first desktop app for coaches, mentors, trainers and circuit riders
PrivilegesRequired=lowest
DefaultDirName={autopf}\{#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
UsePreviousAppDir=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0.17763
OutputDir={#SourcePath}..\..\dist
OutputBaseFilename=coachdesk-{#AppVersion}-windows-x86_64-setup
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=auto
CloseApplications=yes
RestartApplications=no
Uninstallable=yes
UninstallDisplayName={#AppName} {#AppVersion}
UninstallDisplayIcon={app}\{#AppExe}
ChangesAssociations=no

[Languages]
; The languages CoachDesk speaks that Inno Setup ships a translation of; the others see English.
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "fr"; MessagesFile: "compiler:Languages\French.isl"
Name: "es"; MessagesFile: "compiler:Languages\Spanish.isl"
Name: "pt_BR"; MessagesFile: "compiler:Languages\BrazilianPortuguese.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
Source: "{#BuildDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade replaces the whole program folder, so no file of an older version lingers.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; AppUserModelID: "org.coachdesk.CoachDesk"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
