<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de">
<context>
    <name>ModelConversion</name>
    <message>
        <source>Convert the model to safetensors?</source>
        <translation>Modell in safetensors umwandeln?</translation>
    </message>
    <message>
        <source>The model in %1 keeps its weights only as PyTorch .bin files (%2).</source>
        <translation>Das Modell in %1 hat seine Gewichte nur als PyTorch-.bin-Dateien (%2).</translation>
    </message>
    <message>
        <source>Converting them once to safetensors makes every render and fine-tuning load the model faster (the weights are mapped, not unpickled), and safetensors files cannot carry code the way pickle files can.

The converted copy goes to %1; the original folder stays as it is. The conversion runs in the background (Jobs dock) and can be cancelled.</source>
        <translation>Einmal in safetensors umgewandelt, lädt jedes Rendern und Feintuning das Modell schneller (die Gewichte werden eingeblendet statt entpickelt), und safetensors-Dateien können keinen Code enthalten, wie es Pickle-Dateien können.

Die umgewandelte Kopie kommt nach %1; der ursprüngliche Ordner bleibt unverändert. Die Umwandlung läuft im Hintergrund (Aufträge) und lässt sich abbrechen.</translation>
    </message>
    <message>
        <source>Convert</source>
        <translation>Umwandeln</translation>
    </message>
    <message>
        <source>Not Now</source>
        <translation>Nicht jetzt</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>MotionBooth Studio editor</source>
        <translation>MotionBooth-Studio-Editor</translation>
    </message>
    <message>
        <source>Render the main window to a PNG file and exit.</source>
        <translation>Das Hauptfenster als PNG-Datei speichern und beenden.</translation>
    </message>
    <message>
        <source>Project file to open.</source>
        <translation>Zu öffnende Projektdatei.</translation>
    </message>
</context>
<context>
    <name>mb::ui::Autosaver</name>
    <message>
        <source>Autosave failed: %1</source>
        <translation>Automatisches Speichern fehlgeschlagen: %1</translation>
    </message>
</context>
<context>
    <name>mb::ui::CoreMessages</name>
    <message>
        <source>%1: not a readable image (corrupt, truncated, or not JPEG/PNG/WebP/BMP/TIFF)</source>
        <translation>%1: kein lesbares Bild (beschädigt, abgeschnitten oder kein JPEG/PNG/WebP/BMP/TIFF)</translation>
    </message>
    <message>
        <source>%1: the mask is empty (no subject pixels)</source>
        <translation>%1: die Maske ist leer (keine Motivpixel)</translation>
    </message>
    <message>
        <source>%1: is a folder, not an image</source>
        <translation>%1: ist ein Ordner, kein Bild</translation>
    </message>
    <message>
        <source>%1: the file is empty</source>
        <translation>%1: die Datei ist leer</translation>
    </message>
    <message>
        <source>%1: file not found</source>
        <translation>%1: Datei nicht gefunden</translation>
    </message>
    <message>
        <source>{%1}: %2 has no mask yet; the whole photo is shown</source>
        <translation>{%1}: %2 hat noch keine Maske; das ganze Foto wird gezeigt</translation>
    </message>
    <message>
        <source>%1: not a readable image: %2</source>
        <translation>%1: kein lesbares Bild: %2</translation>
    </message>
    <message>
        <source>{%1} has no photos yet: add some in the Subjects dock</source>
        <translation>{%1} hat noch keine Fotos: fügen Sie im Dock „Motive“ welche hinzu</translation>
    </message>
</context>
<context>
    <name>mb::ui::CurvesPanel</name>
    <message>
        <source>Curves</source>
        <translation>Kurven</translation>
    </message>
    <message>
        <source>Frame</source>
        <translation>Bild</translation>
    </message>
    <message>
        <source>% of frame</source>
        <translation>% des Bildes</translation>
    </message>
    <message>
        <source>Box centre x</source>
        <translation>Box-Mitte x</translation>
    </message>
    <message>
        <source>Box centre y</source>
        <translation>Box-Mitte y</translation>
    </message>
    <message>
        <source>Box width</source>
        <translation>Box-Breite</translation>
    </message>
    <message>
        <source>Box height</source>
        <translation>Box-Höhe</translation>
    </message>
    <message>
        <source>Camera x</source>
        <translation>Kamera x</translation>
    </message>
    <message>
        <source>Camera y</source>
        <translation>Kamera y</translation>
    </message>
    <message>
        <source>Edit camera curve</source>
        <translation>Kamerakurve bearbeiten</translation>
    </message>
    <message>
        <source>Edit box curve</source>
        <translation>Box-Kurve bearbeiten</translation>
    </message>
</context>
<context>
    <name>mb::ui::ExportDialog</name>
    <message>
        <source>Export Animatic</source>
        <translation>Animatic exportieren</translation>
    </message>
    <message>
        <source>MP4 video (H.264, yuv420p)</source>
        <translation>MP4-Video (H.264, yuv420p)</translation>
    </message>
    <message>
        <source>PNG sequence</source>
        <translation>PNG-Folge</translation>
    </message>
    <message>
        <source>Animated GIF</source>
        <translation>Animiertes GIF</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Format</translation>
    </message>
    <message>
        <source>High quality (CRF 18)</source>
        <translation>Hohe Qualität (CRF 18)</translation>
    </message>
    <message>
        <source>Standard (CRF 23)</source>
        <translation>Standard (CRF 23)</translation>
    </message>
    <message>
        <source>Small file (CRF 28)</source>
        <translation>Kleine Datei (CRF 28)</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>Qualität</translation>
    </message>
    <message>
        <source> fps</source>
        <translation> fps</translation>
    </message>
    <message>
        <source>Frame rate</source>
        <translation>Bildrate</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message numerus="yes">
        <source>%1 × %2 px, %n frame(s)</source>
        <translation>
            <numerusform>%1 × %2 px, %n Bild</numerusform>
            <numerusform>%1 × %2 px, %n Bilder</numerusform>
        </translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportieren</translation>
    </message>
    <message>
        <source>Cancel Export</source>
        <translation>Export abbrechen</translation>
    </message>
    <message>
        <source>Folder for the PNG frames</source>
        <translation>Ordner für die PNG-Bilder</translation>
    </message>
    <message>
        <source>Export to</source>
        <translation>Exportieren nach</translation>
    </message>
    <message>
        <source>MP4 video (*.mp4)</source>
        <translation>MP4-Video (*.mp4)</translation>
    </message>
    <message>
        <source>GIF (*.gif)</source>
        <translation>GIF (*.gif)</translation>
    </message>
    <message>
        <source>Choose where to export first.</source>
        <translation>Wählen Sie zuerst das Exportziel.</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>Wird exportiert…</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>Exportiert nach %1</translation>
    </message>
    <message>
        <source>&lt;b&gt;Export failed.&lt;/b&gt; %1</source>
        <translation>&lt;b&gt;Export fehlgeschlagen.&lt;/b&gt; %1</translation>
    </message>
    <message>
        <source>Export cancelled; nothing was written.</source>
        <translation>Export abgebrochen; nichts wurde geschrieben.</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
</context>
<context>
    <name>mb::ui::ExportJob</name>
    <message>
        <source>No output path chosen</source>
        <translation>Kein Ausgabepfad gewählt</translation>
    </message>
    <message>
        <source>Cannot create the folder %1</source>
        <translation>Der Ordner %1 kann nicht angelegt werden</translation>
    </message>
</context>
<context>
    <name>mb::ui::FarmDialog</name>
    <message>
        <source>Seeds: give non-negative whole numbers separated by commas, e.g. 1,2,5.</source>
        <translation>Seeds: nicht negative ganze Zahlen, durch Kommas getrennt, z. B. 1,2,5.</translation>
    </message>
    <message>
        <source>Variations: at least one take.</source>
        <translation>Varianten: mindestens ein Take.</translation>
    </message>
    <message>
        <source>Time limit: use Slurm&apos;s format, e.g. 30, 01:30:00 or 1-00:00:00.</source>
        <translation>Zeitlimit: im Slurm-Format, z. B. 30, 01:30:00 oder 1-00:00:00.</translation>
    </message>
    <message>
        <source>Memory: a number with an optional unit K, M, G or T, e.g. 8G.</source>
        <translation>Speicher: eine Zahl mit optionaler Einheit K, M, G oder T, z. B. 8G.</translation>
    </message>
    <message>
        <source>CPUs per task must be at least 1 and GPUs per task not negative.</source>
        <translation>CPUs pro Task müssen mindestens 1 sein, GPUs pro Task nicht negativ.</translation>
    </message>
    <message>
        <source>Choose a job folder: the cluster&apos;s nodes must be able to reach it.</source>
        <translation>Wählen Sie einen Auftragsordner: Die Knoten des Clusters müssen ihn erreichen können.</translation>
    </message>
    <message>
        <source>Render on Farm</source>
        <translation>Auf der Farm rendern</translation>
    </message>
    <message>
        <source>Renders one take per seed as a Slurm job array. The project and its assets are copied into the job folder; the nodes need motionbooth-cli and the models at the same paths (shared storage).</source>
        <translation>Rendert einen Take pro Seed als Slurm-Job-Array. Projekt und Dateien werden in den Auftragsordner kopiert; die Knoten brauchen motionbooth-cli und die Modelle unter denselben Pfaden (gemeinsamer Speicher).</translation>
    </message>
    <message>
        <source>&amp;Variations</source>
        <translation>&amp;Varianten</translation>
    </message>
    <message>
        <source>Takes with consecutive seeds, from the shot&apos;s seed on</source>
        <translation>Takes mit aufeinanderfolgenden Seeds ab dem Seed der Einstellung</translation>
    </message>
    <message>
        <source>&amp;Seeds</source>
        <translation>&amp;Seeds</translation>
    </message>
    <message>
        <source>1,2,5</source>
        <translation>1,2,5</translation>
    </message>
    <message>
        <source>Which shots to render (this project has one: &quot;all&quot; or 0)</source>
        <translation>Welche Einstellungen gerendert werden (dieses Projekt hat eine: &quot;all&quot; oder 0)</translation>
    </message>
    <message>
        <source>S&amp;hots:</source>
        <translation>E&amp;instellungen:</translation>
    </message>
    <message>
        <source>cluster default</source>
        <translation>Cluster-Vorgabe</translation>
    </message>
    <message>
        <source>&amp;Partition:</source>
        <translation>&amp;Partition:</translation>
    </message>
    <message>
        <source>e.g. 01:00:00</source>
        <translation>z. B. 01:00:00</translation>
    </message>
    <message>
        <source>&amp;Time limit:</source>
        <translation>&amp;Zeitlimit:</translation>
    </message>
    <message>
        <source>e.g. 16G</source>
        <translation>z. B. 16G</translation>
    </message>
    <message>
        <source>&amp;Memory per task:</source>
        <translation>&amp;Speicher pro Task:</translation>
    </message>
    <message>
        <source>&amp;CPUs per task:</source>
        <translation>&amp;CPUs pro Task:</translation>
    </message>
    <message>
        <source>&amp;GPUs per task:</source>
        <translation>&amp;GPUs pro Task:</translation>
    </message>
    <message>
        <source>&amp;Job folder:</source>
        <translation>&amp;Auftragsordner:</translation>
    </message>
    <message>
        <source>e.g. --model /shared/models/zeroscope --steps 25</source>
        <translation>z. B. --model /shared/models/zeroscope --steps 25</translation>
    </message>
    <message>
        <source>Further options of motionbooth-cli farm submit</source>
        <translation>Weitere Optionen von motionbooth-cli farm submit</translation>
    </message>
    <message>
        <source>E&amp;xtra options:</source>
        <translation>Weitere &amp;Optionen:</translation>
    </message>
    <message>
        <source>&amp;Dry run: only write the job folder and its sbatch script</source>
        <translation>&amp;Probelauf: nur den Auftragsordner und sein sbatch-Skript schreiben</translation>
    </message>
    <message>
        <source>&amp;Submit</source>
        <translation>&amp;Absenden</translation>
    </message>
    <message>
        <source>&amp;Write Job Folder</source>
        <translation>Auftragsordner &amp;schreiben</translation>
    </message>
</context>
<context>
    <name>mb::ui::FarmJobMonitor</name>
    <message>
        <source>The farm status is not JSON (%1 at offset %2)</source>
        <translation>Der Farm-Status ist kein JSON (%1 bei Position %2)</translation>
    </message>
    <message>
        <source>The farm status has no &quot;tasks&quot; list or &quot;finished&quot; flag</source>
        <translation>Dem Farm-Status fehlt die Liste &quot;tasks&quot; oder das Feld &quot;finished&quot;</translation>
    </message>
    <message>
        <source>A task of the farm status has no index or state</source>
        <translation>Einem Task im Farm-Status fehlt Index oder Zustand</translation>
    </message>
    <message>
        <source>The output of farm collect is not the expected JSON</source>
        <translation>Die Ausgabe von farm collect ist nicht das erwartete JSON</translation>
    </message>
    <message>
        <source>A take in the output of farm collect has no video</source>
        <translation>Ein Take in der Ausgabe von farm collect hat kein Video</translation>
    </message>
    <message>
        <source>task %1: %2</source>
        <translation>Task %1: %2</translation>
    </message>
    <message>
        <source>motionbooth-cli did not answer within %1 s (is the Slurm controller reachable?)</source>
        <translation>motionbooth-cli hat nicht innerhalb von %1 s geantwortet (ist der Slurm-Controller erreichbar?)</translation>
    </message>
    <message>
        <source>motionbooth-cli exited with code %1</source>
        <translation>motionbooth-cli endete mit Code %1</translation>
    </message>
    <message>
        <source>motionbooth-cli was not found (set MB_CLI or install it next to the editor)</source>
        <translation>motionbooth-cli wurde nicht gefunden (MB_CLI setzen oder neben dem Editor installieren)</translation>
    </message>
    <message>
        <source>Cannot read the farm job&apos;s status: %1</source>
        <translation>Der Status des Farm-Auftrags ist nicht lesbar: %1</translation>
    </message>
    <message>
        <source>Cancel failed: %1</source>
        <translation>Abbrechen fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Nothing was running</source>
        <translation>Es lief nichts</translation>
    </message>
    <message>
        <source>Resubmit failed: %1</source>
        <translation>Erneutes Absenden fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Collect failed: %1</source>
        <translation>Einsammeln fehlgeschlagen: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n take(s) verified</source>
        <translation>
            <numerusform>%n Take geprüft</numerusform>
            <numerusform>%n Takes geprüft</numerusform>
        </translation>
    </message>
    <message>
        <source>Not collected:</source>
        <translation>Nicht eingesammelt:</translation>
    </message>
</context>
<context>
    <name>mb::ui::FarmJobsPanel</name>
    <message>
        <source>Render on &amp;Farm…</source>
        <translation>Auf der &amp;Farm rendern…</translation>
    </message>
    <message>
        <source>Render takes as a Slurm job array on a cluster (motionbooth-cli farm submit)</source>
        <translation>Takes als Slurm-Job-Array auf einem Cluster rendern (motionbooth-cli farm submit)</translation>
    </message>
    <message>
        <source>Farm job</source>
        <translation>Farm-Auftrag</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <source>ETA</source>
        <translation>Restzeit</translation>
    </message>
    <message>
        <source>Render on Farm…</source>
        <translation>Auf der Farm rendern…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Resubmit Failed</source>
        <translation>Fehlgeschlagene erneut senden</translation>
    </message>
    <message>
        <source>Collect Takes</source>
        <translation>Takes einsammeln</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Cancel the job&apos;s Slurm jobs (farm cancel)</source>
        <translation>Die Slurm-Jobs des Auftrags abbrechen (farm cancel)</translation>
    </message>
    <message>
        <source>Submit the failed or missing takes again (farm resubmit --failed)</source>
        <translation>Fehlgeschlagene oder fehlende Takes erneut absenden (farm resubmit --failed)</translation>
    </message>
    <message>
        <source>Verify the finished takes and add them to the Takes panel</source>
        <translation>Die fertigen Takes prüfen und zur Take-Liste hinzufügen</translation>
    </message>
    <message>
        <source>Stop watching this job; its folder stays on disk</source>
        <translation>Diesen Auftrag nicht mehr beobachten; sein Ordner bleibt erhalten</translation>
    </message>
    <message>
        <source>motionbooth-cli was not found: farm rendering needs it (set MB_CLI or install it next to the editor)</source>
        <translation>motionbooth-cli wurde nicht gefunden: Das Rendern auf der Farm braucht es (MB_CLI setzen oder neben dem Editor installieren)</translation>
    </message>
    <message>
        <source>Cannot render on the farm</source>
        <translation>Rendern auf der Farm nicht möglich</translation>
    </message>
    <message>
        <source>Save the project first: the farm job freezes a copy of the saved project.</source>
        <translation>Speichern Sie das Projekt zuerst: Der Farm-Auftrag friert eine Kopie des gespeicherten Projekts ein.</translation>
    </message>
    <message>
        <source>Farm job folder (dry run): %1</source>
        <translation>Farm-Auftragsordner (Probelauf): %1</translation>
    </message>
    <message numerus="yes">
        <source>Farm submit: %n take(s) of %1</source>
        <translation>
            <numerusform>Farm-Absendung: %n Take von %1</numerusform>
            <numerusform>Farm-Absendung: %n Takes von %1</numerusform>
        </translation>
    </message>
    <message>
        <source>Farm submission failed: %1</source>
        <translation>Absenden an die Farm fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Wrote the job folder %1 (not submitted).</source>
        <translation>Auftragsordner %1 geschrieben (nicht abgesendet).</translation>
    </message>
    <message>
        <source>Waiting for the first status…</source>
        <translation>Warte auf den ersten Status…</translation>
    </message>
    <message>
        <source>%1 of %2 done</source>
        <translation>%1 von %2 fertig</translation>
    </message>
    <message numerus="yes">
        <source>, %n failed</source>
        <translation>
            <numerusform>, %n fehlgeschlagen</numerusform>
            <numerusform>, %n fehlgeschlagen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n running</source>
        <translation>
            <numerusform>, %n läuft</numerusform>
            <numerusform>, %n laufen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n pending</source>
        <translation>
            <numerusform>, %n wartet</numerusform>
            <numerusform>, %n warten</numerusform>
        </translation>
    </message>
    <message>
        <source> (fine-tune: %1)</source>
        <translation> (Feintuning: %1)</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Watching: the status is read every %1 s</source>
        <translation>Beobachtet: Der Status wird alle %1 s gelesen</translation>
    </message>
    <message>
        <source>Task %1 (seed %2)</source>
        <translation>Task %1 (Seed %2)</translation>
    </message>
    <message>
        <source>, exit code %1</source>
        <translation>, Exit-Code %1</translation>
    </message>
    <message>
        <source>, take does not match its sidecar</source>
        <translation>, Take passt nicht zu seiner Begleitdatei</translation>
    </message>
    <message>
        <source>Cannot read</source>
        <translation>Nicht lesbar</translation>
    </message>
    <message>
        <source>This farm job belongs to %1: open that project to collect its takes.</source>
        <translation>Dieser Farm-Auftrag gehört zu %1: Öffnen Sie dieses Projekt, um seine Takes einzusammeln.</translation>
    </message>
    <message numerus="yes">
        <source>%n take(s) added to the Takes panel</source>
        <translation>
            <numerusform>%n Take zur Take-Liste hinzugefügt</numerusform>
            <numerusform>%n Takes zur Take-Liste hinzugefügt</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> (%n already listed)</source>
        <translation>
            <numerusform> (%n bereits aufgeführt)</numerusform>
            <numerusform> (%n bereits aufgeführt)</numerusform>
        </translation>
    </message>
    <message>
        <source>Not collected:</source>
        <translation>Nicht eingesammelt:</translation>
    </message>
    <message>
        <source>Add farm take (seed %1)</source>
        <translation>Farm-Take hinzufügen (Seed %1)</translation>
    </message>
</context>
<context>
    <name>mb::ui::InProcessJob</name>
    <message>
        <source>unknown error</source>
        <translation>unbekannter Fehler</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>rendered seed %1 with %2 in %3 s</source>
        <translation>Seed %1 mit %2 in %3 s gerendert</translation>
    </message>
    <message>
        <source>trained %1 for %2 steps in %3 s, final loss %4: %5</source>
        <translation>%1 in %3 s %2 Schritte trainiert, letzter Verlust %4: %5</translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation>Warnung: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n weight file(s) converted into %1</source>
        <translation>
            <numerusform>%n Gewichtsdatei nach %1 umgewandelt</numerusform>
            <numerusform>%n Gewichtsdateien nach %1 umgewandelt</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mb::ui::JobLauncher</name>
    <message>
        <source>The model was converted to safetensors: %1</source>
        <translation>Das Modell wurde in safetensors umgewandelt: %1</translation>
    </message>
    <message>
        <source>Use converted model</source>
        <translation>Umgewandeltes Modell verwenden</translation>
    </message>
    <message>
        <source>Using the converted model %1</source>
        <translation>Verwende das umgewandelte Modell %1</translation>
    </message>
    <message>
        <source>Nothing to fine-tune</source>
        <translation>Nichts zum Feintunen</translation>
    </message>
    <message>
        <source>Fine-tuning learns the subjects marked &quot;Learn from the photos&quot; from their photos. Add photos to such a subject first.</source>
        <translation>Das Feintuning lernt die mit &quot;Aus den Fotos lernen&quot; markierten Motive aus ihren Fotos. Fügen Sie einem solchen Motiv zuerst Fotos hinzu.</translation>
    </message>
    <message>
        <source>Save the project first</source>
        <translation>Speichern Sie das Projekt zuerst</translation>
    </message>
    <message>
        <source>Fine-tuning reads the saved project and writes its checkpoint next to the project file: save the project first.</source>
        <translation>Das Feintuning liest das gespeicherte Projekt und schreibt seinen Checkpoint neben die Projektdatei: Speichern Sie das Projekt zuerst.</translation>
    </message>
    <message>
        <source>Fine-tuning finished, but</source>
        <translation>Feintuning beendet, aber</translation>
    </message>
    <message>
        <source>Use fine-tuned checkpoint</source>
        <translation>Feingetunten Checkpoint verwenden</translation>
    </message>
    <message>
        <source>Set identifier of %1</source>
        <translation>Bezeichner von %1 setzen</translation>
    </message>
    <message>
        <source>Fine-tuned checkpoint set: later renders use %1</source>
        <translation>Feingetunter Checkpoint gesetzt: Spätere Renderings verwenden %1</translation>
    </message>
    <message>
        <source>{%1} was learned as “%2” (its identifier “%3” is taken by another subject or not one token of the vocabulary)</source>
        <translation>{%1} wurde als „%2“ gelernt (sein Bezeichner „%3“ gehört schon einem anderen Motiv oder ist kein einzelnes Token des Vokabulars)</translation>
    </message>
    <message>
        <source>Identifiers changed</source>
        <translation>Bezeichner geändert</translation>
    </message>
</context>
<context>
    <name>mb::ui::JobQueue</name>
    <message>
        <source>Job</source>
        <translation>Auftrag</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <source>Remaining</source>
        <translation>Verbleibend</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Wartet</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
</context>
<context>
    <name>mb::ui::JobsDock</name>
    <message>
        <source>Job queue</source>
        <translation>Auftragswarteschlange</translation>
    </message>
    <message>
        <source>No job selected</source>
        <translation>Kein Auftrag ausgewählt</translation>
    </message>
    <message>
        <source>Job log</source>
        <translation>Auftragsprotokoll</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Stop the selected job at its next step (a separate process that does not stop within a few seconds is killed)</source>
        <translation>Den ausgewählten Auftrag beim nächsten Schritt anhalten (ein eigener Prozess, der nicht innerhalb weniger Sekunden stoppt, wird beendet)</translation>
    </message>
    <message>
        <source>Cancel All</source>
        <translation>Alle abbrechen</translation>
    </message>
    <message>
        <source>Clear Finished</source>
        <translation>Beendete entfernen</translation>
    </message>
    <message>
        <source>Stage: %1</source>
        <translation>Phase: %1</translation>
    </message>
    <message>
        <source>Elapsed %1  •  Remaining %2</source>
        <translation>Vergangen %1  •  Verbleibend %2</translation>
    </message>
    <message>
        <source>Took %1</source>
        <translation>Dauer %1</translation>
    </message>
    <message>
        <source>Step preview</source>
        <translation>Schrittvorschau</translation>
    </message>
    <message>
        <source>Where the take is going: a cheap picture of every frame after the last denoising step. Cancel the job if it goes wrong.</source>
        <translation>Wohin der Take geht: ein schnelles Bild jedes Einzelbilds nach dem letzten Entrauschungsschritt. Brechen Sie den Auftrag ab, wenn er misslingt.</translation>
    </message>
    <message>
        <source>%p% — failed</source>
        <translation>%p% — fehlgeschlagen</translation>
    </message>
    <message>
        <source>%p% — cancelled</source>
        <translation>%p% — abgebrochen</translation>
    </message>
</context>
<context>
    <name>mb::ui::LossPlot</name>
    <message>
        <source>Training losses</source>
        <translation>Trainingsverluste</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Verlust</translation>
    </message>
</context>
<context>
    <name>mb::ui::MainWindow</name>
    <message>
        <source>Autosaved at %1</source>
        <translation>Automatisch gespeichert um %1</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>&amp;Neu</translation>
    </message>
    <message>
        <source>Start a new project</source>
        <translation>Ein neues Projekt beginnen</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>Ö&amp;ffnen…</translation>
    </message>
    <message>
        <source>Open a project</source>
        <translation>Ein Projekt öffnen</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Speichern</translation>
    </message>
    <message>
        <source>Save the project</source>
        <translation>Das Projekt speichern</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>Speichern &amp;unter…</translation>
    </message>
    <message>
        <source>Save under a new name</source>
        <translation>Unter neuem Namen speichern</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>&amp;Exportieren…</translation>
    </message>
    <message>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <source>Export the animatic as MP4, PNG sequence or GIF</source>
        <translation>Das Animatic als MP4, PNG-Folge oder GIF exportieren</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>&amp;Einstellungen…</translation>
    </message>
    <message>
        <source>Ctrl+,</source>
        <translation>Ctrl+,</translation>
    </message>
    <message>
        <source>Model folder, threads, device, autosave, language</source>
        <translation>Modellordner, Threads, Gerät, automatisches Speichern, Sprache</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>Quit MotionBooth Studio</source>
        <translation>MotionBooth Studio beenden</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Rückgängig</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Wiederholen</translation>
    </message>
    <message>
        <source>Ctrl+Y</source>
        <translation>Ctrl+Y</translation>
    </message>
    <message>
        <source>&amp;Copy Keyframe</source>
        <translation>Schlüsselbild &amp;kopieren</translation>
    </message>
    <message>
        <source>Copy the selected keyframe</source>
        <translation>Das gewählte Schlüsselbild kopieren</translation>
    </message>
    <message>
        <source>&amp;Paste Keyframe</source>
        <translation>Schlüsselbild &amp;einfügen</translation>
    </message>
    <message>
        <source>Paste the keyframe at the playhead</source>
        <translation>Das Schlüsselbild am Abspielkopf einfügen</translation>
    </message>
    <message>
        <source>Add &amp;Keyframe</source>
        <translation>&amp;Schlüsselbild hinzufügen</translation>
    </message>
    <message>
        <source>Add a keyframe at the playhead on the selected track</source>
        <translation>Ein Schlüsselbild am Abspielkopf in der gewählten Spur hinzufügen</translation>
    </message>
    <message>
        <source>&amp;Delete Keyframe</source>
        <translation>Schlüsselbild &amp;löschen</translation>
    </message>
    <message>
        <source>Delete the selected keyframe</source>
        <translation>Das gewählte Schlüsselbild löschen</translation>
    </message>
    <message>
        <source>&amp;Select</source>
        <translation>&amp;Auswählen</translation>
    </message>
    <message>
        <source>Select, move and resize boxes</source>
        <translation>Boxen auswählen, verschieben und skalieren</translation>
    </message>
    <message>
        <source>Draw &amp;Box</source>
        <translation>&amp;Box zeichnen</translation>
    </message>
    <message>
        <source>Draw a subject box (Ctrl+drag works with any tool)</source>
        <translation>Eine Motivbox zeichnen (Strg+Ziehen geht mit jedem Werkzeug)</translation>
    </message>
    <message>
        <source>&amp;Onion Skin</source>
        <translation>&amp;Zwiebelschicht</translation>
    </message>
    <message>
        <source>Show ghosts of the neighbouring frames&apos; boxes</source>
        <translation>Geisterbilder der Boxen benachbarter Bilder zeigen</translation>
    </message>
    <message>
        <source>Motion &amp;Paths</source>
        <translation>Bewegungs&amp;pfade</translation>
    </message>
    <message>
        <source>Show each box centre&apos;s path with one dot per frame</source>
        <translation>Den Pfad jeder Box-Mitte mit einem Punkt pro Bild zeigen</translation>
    </message>
    <message>
        <source>S&amp;napping</source>
        <translation>&amp;Einrasten</translation>
    </message>
    <message>
        <source>Shift+S</source>
        <translation>Shift+S</translation>
    </message>
    <message>
        <source>Snap box edges to the frame, thirds and other boxes (hold Alt to override)</source>
        <translation>Boxkanten am Bild, an Dritteln und anderen Boxen einrasten (Alt hält es auf)</translation>
    </message>
    <message>
        <source>&amp;Camera Arrow</source>
        <translation>&amp;Kamerapfeil</translation>
    </message>
    <message>
        <source>Show the camera pan arrow; drag its tip to set the pan</source>
        <translation>Den Kameraschwenk-Pfeil zeigen; seine Spitze ziehen, um den Schwenk zu setzen</translation>
    </message>
    <message>
        <source>&amp;Animatic Behind Stage</source>
        <translation>&amp;Animatic hinter der Bühne</translation>
    </message>
    <message>
        <source>Draw the live animatic behind the boxes</source>
        <translation>Das Live-Animatic hinter den Boxen zeigen</translation>
    </message>
    <message>
        <source>&amp;Play</source>
        <translation>&amp;Abspielen</translation>
    </message>
    <message>
        <source>Play / pause</source>
        <translation>Abspielen / Pause</translation>
    </message>
    <message>
        <source>&amp;Next Frame</source>
        <translation>&amp;Nächstes Bild</translation>
    </message>
    <message>
        <source>Next frame</source>
        <translation>Nächstes Bild</translation>
    </message>
    <message>
        <source>P&amp;revious Frame</source>
        <translation>&amp;Vorheriges Bild</translation>
    </message>
    <message>
        <source>Previous frame</source>
        <translation>Vorheriges Bild</translation>
    </message>
    <message>
        <source>&amp;First Frame</source>
        <translation>&amp;Erstes Bild</translation>
    </message>
    <message>
        <source>Go to the first frame</source>
        <translation>Zum ersten Bild</translation>
    </message>
    <message>
        <source>&amp;Last Frame</source>
        <translation>&amp;Letztes Bild</translation>
    </message>
    <message>
        <source>Go to the last frame</source>
        <translation>Zum letzten Bild</translation>
    </message>
    <message>
        <source>&amp;Loop</source>
        <translation>&amp;Schleife</translation>
    </message>
    <message>
        <source>Loop playback</source>
        <translation>Wiedergabe wiederholen</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>&amp;Pause</translation>
    </message>
    <message>
        <source>Transport</source>
        <translation>Transport</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Zeitleiste</translation>
    </message>
    <message>
        <source>Curves</source>
        <translation>Kurven</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Vorschau</translation>
    </message>
    <message>
        <source>Properties</source>
        <translation>Eigenschaften</translation>
    </message>
    <message>
        <source>Subjects</source>
        <translation>Motive</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Verlauf</translation>
    </message>
    <message>
        <source>&lt;opened&gt;</source>
        <translation>&lt;geöffnet&gt;</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Bearbeiten</translation>
    </message>
    <message>
        <source>&amp;Stage</source>
        <translation>&amp;Bühne</translation>
    </message>
    <message>
        <source>&amp;Playback</source>
        <translation>&amp;Wiedergabe</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>&amp;About MotionBooth Studio</source>
        <translation>Ü&amp;ber MotionBooth Studio</translation>
    </message>
    <message>
        <source>About MotionBooth Studio</source>
        <translation>Über MotionBooth Studio</translation>
    </message>
    <message>
        <source>&lt;h3&gt;MotionBooth Studio %1&lt;/h3&gt;&lt;p&gt;Customised text-to-video with box-controlled subject motion and camera pans.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;MotionBooth Studio %1&lt;/h3&gt;&lt;p&gt;Personalisierte Text-zu-Video-Erzeugung mit Boxen für Motivbewegung und Kameraschwenks.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Haupt</translation>
    </message>
    <message>
        <source>x %1%  y %2%</source>
        <translation>x %1 %  y %2 %</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Bereit</translation>
    </message>
    <message>
        <source>%1[*] — MotionBooth Studio</source>
        <translation>%1[*] — MotionBooth Studio</translation>
    </message>
    <message>
        <source>Frame %1 / %2  •  %3 fps</source>
        <translation>Bild %1 / %2  •  %3 fps</translation>
    </message>
    <message>
        <source>No recent projects</source>
        <translation>Keine zuletzt geöffneten Projekte</translation>
    </message>
    <message>
        <source>Clear List</source>
        <translation>Liste leeren</translation>
    </message>
    <message>
        <source>Open Project</source>
        <translation>Projekt öffnen</translation>
    </message>
    <message>
        <source>MotionBooth projects (*.mbproj)</source>
        <translation>MotionBooth-Projekte (*.mbproj)</translation>
    </message>
    <message>
        <source>Cannot open project</source>
        <translation>Projekt kann nicht geöffnet werden</translation>
    </message>
    <message>
        <source>%1 could not be opened:

%2</source>
        <translation>%1 konnte nicht geöffnet werden:

%2</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>%1 geöffnet</translation>
    </message>
    <message>
        <source>Save Project</source>
        <translation>Projekt speichern</translation>
    </message>
    <message>
        <source>Cannot save project</source>
        <translation>Projekt kann nicht gespeichert werden</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 gespeichert</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Ungesicherte Änderungen</translation>
    </message>
    <message>
        <source>Save the changes to %1?</source>
        <translation>Änderungen an %1 speichern?</translation>
    </message>
    <message>
        <source>an unsaved project</source>
        <translation>ein ungespeichertes Projekt</translation>
    </message>
    <message>
        <source>Recover unsaved work?</source>
        <translation>Ungesicherte Arbeit wiederherstellen?</translation>
    </message>
    <message>
        <source>MotionBooth Studio did not close cleanly. An autosave of %1 from %2 exists.

Recover it?</source>
        <translation>MotionBooth Studio wurde nicht ordnungsgemäß beendet. Es gibt eine automatische Sicherung von %1 vom %2.

Wiederherstellen?</translation>
    </message>
    <message>
        <source>Recover</source>
        <translation>Wiederherstellen</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Verwerfen</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>Später</translation>
    </message>
    <message>
        <source>Recovery failed</source>
        <translation>Wiederherstellung fehlgeschlagen</translation>
    </message>
    <message>
        <source>Recovered; save to keep the changes</source>
        <translation>Wiederhergestellt; speichern Sie, um die Änderungen zu behalten</translation>
    </message>
    <message>
        <source>There is a keyframe on this frame already</source>
        <translation>Auf diesem Bild gibt es schon ein Schlüsselbild</translation>
    </message>
    <message>
        <source>Select a keyframe in the timeline first (a track keeps its last key)</source>
        <translation>Wählen Sie zuerst ein Schlüsselbild in der Zeitleiste (eine Spur behält ihren letzten Schlüssel)</translation>
    </message>
    <message>
        <source>Render &amp;Animatic in Background</source>
        <translation>&amp;Animatic im Hintergrund rendern</translation>
    </message>
    <message>
        <source>Render the animatic to MP4 with motionbooth-cli as a job in the Jobs dock</source>
        <translation>Das Animatic mit motionbooth-cli als Auftrag im Auftragsbereich als MP4 rendern</translation>
    </message>
    <message>
        <source>Take player</source>
        <translation>Take-Wiedergabe</translation>
    </message>
    <message>
        <source>Take only</source>
        <translation>Nur Take</translation>
    </message>
    <message>
        <source>Side by side with animatic</source>
        <translation>Neben dem Animatic</translation>
    </message>
    <message>
        <source>Onion over animatic</source>
        <translation>Als Zwiebelhaut über dem Animatic</translation>
    </message>
    <message>
        <source>Compare the take with the animatic</source>
        <translation>Den Take mit dem Animatic vergleichen</translation>
    </message>
    <message>
        <source>Back to Animatic</source>
        <translation>Zurück zum Animatic</translation>
    </message>
    <message>
        <source>Takes</source>
        <translation>Takes</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>Aufträge</translation>
    </message>
    <message>
        <source>motionbooth-cli was not found next to the editor or on the PATH.</source>
        <translation>motionbooth-cli wurde weder neben dem Editor noch im PATH gefunden.</translation>
    </message>
    <message>
        <source>This motionbooth-cli cannot render takes yet: its --help lists no &quot;render&quot; command (it offers: %1).</source>
        <translation>Dieses motionbooth-cli kann noch keine Takes rendern: seine --help nennt keinen Befehl „render“ (es bietet: %1).</translation>
    </message>
    <message>
        <source>This motionbooth-cli has no &quot;animatic&quot; command.</source>
        <translation>Dieses motionbooth-cli hat keinen Befehl „animatic“.</translation>
    </message>
    <message>
        <source>Cannot run %1: %2</source>
        <translation>%1 kann nicht ausgeführt werden: %2</translation>
    </message>
    <message>
        <source>cannot create the folder %1</source>
        <translation>der Ordner %1 kann nicht angelegt werden</translation>
    </message>
    <message>
        <source>Cannot start the job</source>
        <translation>Der Auftrag kann nicht gestartet werden</translation>
    </message>
    <message>
        <source>The project could not be written for the job:

%1</source>
        <translation>Das Projekt konnte für den Auftrag nicht geschrieben werden:

%1</translation>
    </message>
    <message>
        <source>Cannot render</source>
        <translation>Rendern nicht möglich</translation>
    </message>
    <message>
        <source>Cannot create the folder %1</source>
        <translation>Der Ordner %1 kann nicht angelegt werden</translation>
    </message>
    <message>
        <source>Add take (seed %1)</source>
        <translation>Take hinzufügen (Seed %1)</translation>
    </message>
    <message>
        <source>Seed %1</source>
        <translation>Seed %1</translation>
    </message>
    <message>
        <source>Jobs running</source>
        <translation>Aufträge laufen</translation>
    </message>
    <message>
        <source>Background jobs are still running. Cancel them and quit?</source>
        <translation>Hintergrundaufträge laufen noch. Abbrechen und beenden?</translation>
    </message>
    <message>
        <source>&amp;Fine-tune Subjects…</source>
        <translation>Motive &amp;feintunen…</translation>
    </message>
    <message>
        <source>Learn the subjects from their photos (MotionBooth subject learning); later renders use the checkpoint</source>
        <translation>Die Motive aus ihren Fotos lernen (MotionBooth-Motivlernen); spätere Renderings verwenden den Checkpoint</translation>
    </message>
    <message>
        <source>Farm Jobs</source>
        <translation>Farm-Aufträge</translation>
    </message>
    <message>
        <source>Save before fine-tuning?</source>
        <translation>Vor dem Feintuning speichern?</translation>
    </message>
    <message>
        <source>Fine-tuning reads the saved project and writes its checkpoint next to it. Save %1 now?</source>
        <translation>Das Feintuning liest das gespeicherte Projekt und schreibt seinen Checkpoint daneben. %1 jetzt speichern?</translation>
    </message>
    <message>
        <source>Fine-tune Subjects</source>
        <translation>Motive feintunen</translation>
    </message>
    <message>
        <source>Training steps (the reference trains 300):</source>
        <translation>Trainingsschritte (die Referenz trainiert 300):</translation>
    </message>
    <message>
        <source>Render &amp;Take…</source>
        <translation>&amp;Take rendern…</translation>
    </message>
    <message>
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
    </message>
    <message>
        <source>Generate takes of the shot with the diffusion model: choose size, length, steps, sampler and precision, with the time it will take</source>
        <translation>Takes der Einstellung mit dem Diffusionsmodell erzeugen: Größe, Länge, Schritte, Sampler und Genauigkeit wählen, mit der voraussichtlichen Dauer</translation>
    </message>
    <message>
        <source>Cannot render takes</source>
        <translation>Takes können nicht gerendert werden</translation>
    </message>
    <message>
        <source>Set &amp;Background Photo…</source>
        <translation>&amp;Hintergrundfoto festlegen…</translation>
    </message>
    <message>
        <source>&amp;Remove Background Photo</source>
        <translation>Hintergrundfoto &amp;entfernen</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) of this project are missing</source>
        <translation>
            <numerusform>%n Datei dieses Projekts fehlt</numerusform>
            <numerusform>%n Dateien dieses Projekts fehlen</numerusform>
        </translation>
    </message>
    <message>
        <source>{%1}: %2 → %3</source>
        <translation>{%1}: %2 → %3</translation>
    </message>
    <message>
        <source>Subjects share an identifier</source>
        <translation>Motive teilen sich einen Bezeichner</translation>
    </message>
    <message>
        <source>Each learned subject needs its own identifier, or fine-tuning learns them as one. Change these?

%1</source>
        <translation>Jedes gelernte Motiv braucht einen eigenen Bezeichner, sonst lernt das Feintuning sie als eines. Diese ändern?

%1</translation>
    </message>
    <message>
        <source>Set identifier of %1</source>
        <translation>Bezeichner von %1 setzen</translation>
    </message>
    <message>
        <source>A take of the previous project finished after it was closed: %1</source>
        <translation>Ein Take des vorigen Projekts wurde nach dem Schließen fertig: %1</translation>
    </message>
</context>
<context>
    <name>mb::ui::MaskEditor</name>
    <message>
        <source>Mask editor</source>
        <translation>Masken-Editor</translation>
    </message>
    <message>
        <source>Select a photo to see and edit its mask</source>
        <translation>Wählen Sie ein Foto, um seine Maske zu sehen und zu bearbeiten</translation>
    </message>
</context>
<context>
    <name>mb::ui::MemoryStatusLabel</name>
    <message>
        <source>Memory used by MotionBooth Studio / memory still available on this machine</source>
        <translation>Von MotionBooth Studio belegter Speicher / auf diesem Rechner noch verfügbarer Speicher</translation>
    </message>
    <message>
        <source>Memory %1</source>
        <translation>Speicher %1</translation>
    </message>
    <message>
        <source> (%1 free)</source>
        <translation> (%1 frei)</translation>
    </message>
</context>
<context>
    <name>mb::ui::PreviewWidget</name>
    <message>
        <source>Animatic preview</source>
        <translation>Animatic-Vorschau</translation>
    </message>
    <message>
        <source>No preview</source>
        <translation>Keine Vorschau</translation>
    </message>
    <message>
        <source>%1  •  %2 ms</source>
        <translation>%1  •  %2 ms</translation>
    </message>
    <message>
        <source>Take player</source>
        <translation>Take-Wiedergabe</translation>
    </message>
    <message>
        <source>Animatic</source>
        <translation>Animatic</translation>
    </message>
    <message>
        <source>%1  •  %2 / %3</source>
        <translation>%1  •  %2 / %3</translation>
    </message>
    <message>
        <source>Step preview of the take being rendered</source>
        <translation>Schrittvorschau des Takes, der gerade gerendert wird</translation>
    </message>
    <message>
        <source>frame %1 / %2</source>
        <translation>Bild %1 / %2</translation>
    </message>
</context>
<context>
    <name>mb::ui::ProcessJob</name>
    <message>
        <source>motionbooth-cli was not found next to the editor or on the PATH (set MB_CLI to its path).</source>
        <translation>motionbooth-cli wurde weder neben dem Editor noch im PATH gefunden (MB_CLI auf seinen Pfad setzen).</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen…</translation>
    </message>
    <message>
        <source>The process did not stop within %1 s; killing it.</source>
        <translation>Der Prozess hat nicht innerhalb von %1 s angehalten; er wird beendet.</translation>
    </message>
    <message>
        <source>%1 crashed.</source>
        <translation>%1 ist abgestürzt.</translation>
    </message>
    <message>
        <source>%1 failed (exit code %2).</source>
        <translation>%1 ist fehlgeschlagen (Exit-Code %2).</translation>
    </message>
    <message>
        <source>Cannot start %1: %2</source>
        <translation>%1 kann nicht gestartet werden: %2</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message>
        <source>Render animatic: %1</source>
        <translation>Animatic rendern: %1</translation>
    </message>
    <message>
        <source>Render take (seed %1)</source>
        <translation>Take rendern (Seed %1)</translation>
    </message>
    <message>
        <source>Fine-tune subject: %1</source>
        <translation>Motiv feinabstimmen: %1</translation>
    </message>
    <message>
        <source>Convert to safetensors: %1</source>
        <translation>In safetensors umwandeln: %1</translation>
    </message>
    <message>
        <source>step %1 / %2 — preview</source>
        <translation>Schritt %1 / %2 — Vorschau</translation>
    </message>
    <message>
        <source>step %1 — preview</source>
        <translation>Schritt %1 — Vorschau</translation>
    </message>
</context>
<context>
    <name>mb::ui::ProjectDocument</name>
    <message>
        <source>Untitled</source>
        <translation>Unbenannt</translation>
    </message>
</context>
<context>
    <name>mb::ui::RelinkDialog</name>
    <message>
        <source>photo of {%1}</source>
        <translation>Foto von {%1}</translation>
    </message>
    <message>
        <source>mask of {%1}</source>
        <translation>Maske von {%1}</translation>
    </message>
    <message>
        <source>background photo</source>
        <translation>Hintergrundfoto</translation>
    </message>
    <message>
        <source>take</source>
        <translation>Take</translation>
    </message>
    <message>
        <source>take sidecar</source>
        <translation>Begleitdatei des Takes</translation>
    </message>
    <message>
        <source>Missing Files</source>
        <translation>Fehlende Dateien</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>Used as</source>
        <translation>Verwendet als</translation>
    </message>
    <message>
        <source>Found at</source>
        <translation>Gefunden in</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>fehlt</translation>
    </message>
    <message>
        <source>Search Folder…</source>
        <translation>Ordner durchsuchen…</translation>
    </message>
    <message>
        <source>Pick the folder the files are in now; its subfolders are searched too</source>
        <translation>Den Ordner wählen, in dem die Dateien jetzt liegen; seine Unterordner werden mit durchsucht</translation>
    </message>
    <message>
        <source>Relink</source>
        <translation>Neu verknüpfen</translation>
    </message>
    <message>
        <source>Ignore</source>
        <translation>Ignorieren</translation>
    </message>
    <message>
        <source>Folder with the Missing Files</source>
        <translation>Ordner mit den fehlenden Dateien</translation>
    </message>
    <message numerus="yes">
        <source>Relink %n file(s)</source>
        <translation>
            <numerusform>%n Datei neu verknüpfen</numerusform>
            <numerusform>%n Dateien neu verknüpfen</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) this project uses are not where it expects them.</source>
        <translation>
            <numerusform>%n Datei, die dieses Projekt verwendet, liegt nicht dort, wo es sie erwartet.</numerusform>
            <numerusform>%n Dateien, die dieses Projekt verwendet, liegen nicht dort, wo es sie erwartet.</numerusform>
        </translation>
    </message>
    <message>
        <source>Pick the folder they are in now: they are found by name.</source>
        <translation>Wählen Sie den Ordner, in dem sie jetzt liegen: sie werden am Namen erkannt.</translation>
    </message>
    <message>
        <source>Found %1 of them; search another folder for the rest, or relink.</source>
        <translation>%1 davon gefunden; durchsuchen Sie einen weiteren Ordner nach dem Rest, oder verknüpfen Sie neu.</translation>
    </message>
    <message numerus="yes">
        <source>Relink %n File(s)</source>
        <translation>
            <numerusform>%n Datei neu verknüpfen</numerusform>
            <numerusform>%n Dateien neu verknüpfen</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mb::ui::RenderDialog</name>
    <message>
        <source>Render Takes</source>
        <translation>Takes rendern</translation>
    </message>
    <message>
        <source>Built-in model (112 × 64, trained on this project&apos;s small world of balls, cubes and robots)</source>
        <translation>Eingebautes Modell (112 × 64, trainiert auf der kleinen Welt dieses Projekts aus Bällen, Würfeln und Robotern)</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modell</translation>
    </message>
    <message>
        <source>Each take uses the next seed, so the takes are variations of the same shot</source>
        <translation>Jeder Take verwendet den nächsten Seed, die Takes sind also Varianten derselben Einstellung</translation>
    </message>
    <message>
        <source>Takes</source>
        <translation>Takes</translation>
    </message>
    <message>
        <source>%1 (built-in model)</source>
        <translation>%1 (eingebautes Modell)</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Benutzerdefiniert</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>Must be a multiple of the model&apos;s VAE scale factor (8 for Zeroscope).</source>
        <translation>Muss ein Vielfaches des VAE-Skalierungsfaktors des Modells sein (8 bei Zeroscope).</translation>
    </message>
    <message>
        <source> frames</source>
        <translation> Bilder</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>Länge</translation>
    </message>
    <message>
        <source>Denoising steps: the time of a take grows with them</source>
        <translation>Entrauschungsschritte: die Dauer eines Takes wächst mit ihnen</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>Schritte</translation>
    </message>
    <message>
        <source>DPM-Solver++ reaches in about 20 steps what DDIM reaches in 50</source>
        <translation>DPM-Solver++ erreicht in etwa 20 Schritten, was DDIM in 50 erreicht</translation>
    </message>
    <message>
        <source>Sampler</source>
        <translation>Sampler</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <source>fp32 (exact)</source>
        <translation>fp32 (exakt)</translation>
    </message>
    <message>
        <source>bf16 (faster on CPUs with AVX512-BF16 or AMX)</source>
        <translation>bf16 (schneller auf CPUs mit AVX512-BF16 oder AMX)</translation>
    </message>
    <message>
        <source>What the model computes in. Automatic uses bf16 where the CPU computes it natively (about twice as fast, a close approximation) and fp32 elsewhere.</source>
        <translation>Worin das Modell rechnet. Automatisch nimmt bf16, wo die CPU es direkt berechnet (etwa doppelt so schnell, eine enge Näherung), sonst fp32.</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>Genauigkeit</translation>
    </message>
    <message>
        <source>These settings are for these takes only; the shot keeps its own.</source>
        <translation>Diese Einstellungen gelten nur für diese Takes; die Einstellung behält ihre eigenen.</translation>
    </message>
    <message>
        <source>Render</source>
        <translation>Rendern</translation>
    </message>
    <message>
        <source>The built-in model was trained at 112 × 64; larger sizes are slower and look worse.</source>
        <translation>Das eingebaute Modell wurde mit 112 × 64 trainiert; größere Formate sind langsamer und sehen schlechter aus.</translation>
    </message>
    <message>
        <source>seed %1</source>
        <translation>Seed %1</translation>
    </message>
    <message>
        <source>seeds %1–%2</source>
        <translation>Seeds %1–%2</translation>
    </message>
    <message>
        <source>Estimated time: no estimate yet. It is measured when a take with this model, size, length and precision has finished on this computer.</source>
        <translation>Geschätzte Dauer: noch keine Schätzung. Sie wird gemessen, sobald ein Take mit diesem Modell, dieser Größe, Länge und Genauigkeit auf diesem Rechner fertig ist.</translation>
    </message>
    <message>
        <source>measured: %1 s per step</source>
        <translation>gemessen: %1 s pro Schritt</translation>
    </message>
    <message>
        <source>Estimated time: about %1 (%2)</source>
        <translation>Geschätzte Dauer: etwa %1 (%2)</translation>
    </message>
    <message>
        <source>Estimated time: about %1 per take, %2 for %3 takes (%4)</source>
        <translation>Geschätzte Dauer: etwa %1 pro Take, %2 für %3 Takes (%4)</translation>
    </message>
</context>
<context>
    <name>mb::ui::SettingsDialog</name>
    <message>
        <source>Preferences</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Built-in default model</source>
        <translation>Eingebautes Standardmodell</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <source>Model folder</source>
        <translation>Modellordner</translation>
    </message>
    <message>
        <source>Choose a diffusers model folder</source>
        <translation>Einen Diffusers-Modellordner wählen</translation>
    </message>
    <message>
        <source>Automatic (%1)</source>
        <translation>Automatisch (%1)</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>Threads</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CUDA GPU</source>
        <translation>CUDA-GPU</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message>
        <source>Autosave every</source>
        <translation>Automatisch speichern alle</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>The language changes at the next start.</source>
        <translation>Die Sprache wechselt beim nächsten Start.</translation>
    </message>
    <message>
        <source>In a separate process (safer)</source>
        <translation>In einem eigenen Prozess (sicherer)</translation>
    </message>
    <message>
        <source>Inside the editor</source>
        <translation>Im Editor</translation>
    </message>
    <message>
        <source>Renders and fine-tuning run as a separate motionbooth-cli process by default, so a crash in the model cannot take the editor down. Inside the editor they run on a worker thread and skip starting a process and loading the model in it.</source>
        <translation>Rendern und Feintuning laufen standardmäßig als eigener motionbooth-cli-Prozess, damit ein Absturz im Modell den Editor nicht mitreißt. Im Editor laufen sie in einem Arbeits-Thread und sparen den Prozessstart und das Laden des Modells darin.</translation>
    </message>
    <message>
        <source>Run renders</source>
        <translation>Renderings ausführen</translation>
    </message>
</context>
<context>
    <name>mb::ui::ShotPanel</name>
    <message>
        <source>Shot</source>
        <translation>Einstellung</translation>
    </message>
    <message>
        <source>a {subject} running on the beach</source>
        <translation>a {subject} running on the beach</translation>
    </message>
    <message>
        <source>Text prompt. Write {id} where a subject goes, e.g. {subject}.</source>
        <translation>Text-Prompt. Schreiben Sie {id}, wo ein Motiv hingehört, z. B. {subject}.</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>blurry, low quality</source>
        <translation>blurry, low quality</translation>
    </message>
    <message>
        <source>Negative</source>
        <translation>Negativ</translation>
    </message>
    <message>
        <source> frames</source>
        <translation> Bilder</translation>
    </message>
    <message>
        <source>Clip length L. Keyframes keep their relative time when it changes.</source>
        <translation>Cliplänge L. Schlüsselbilder behalten ihre relative Zeit, wenn sie sich ändert.</translation>
    </message>
    <message>
        <source> fps</source>
        <translation> fps</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>Länge</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>Benutzerdefiniert</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>Must be a multiple of the model&apos;s VAE scale factor (8 for Zeroscope).</source>
        <translation>Muss ein Vielfaches des VAE-Skalierungsfaktors des Modells sein (8 bei Zeroscope).</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>Zufällig</translation>
    </message>
    <message>
        <source>Pick a new random seed</source>
        <translation>Einen neuen zufälligen Seed wählen</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Seed</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>Schritte</translation>
    </message>
    <message>
        <source>Guidance</source>
        <translation>Guidance</translation>
    </message>
    <message>
        <source>Camera pan</source>
        <translation>Kameraschwenk</translation>
    </message>
    <message>
        <source>How far the view travels right over the whole clip, in % of the frame width</source>
        <translation>Wie weit sich die Ansicht über den ganzen Clip nach rechts bewegt, in % der Bildbreite</translation>
    </message>
    <message>
        <source>How far the view travels down over the whole clip, in % of the frame height</source>
        <translation>Wie weit sich die Ansicht über den ganzen Clip nach unten bewegt, in % der Bildhöhe</translation>
    </message>
    <message>
        <source>Horizontal</source>
        <translation>Horizontal</translation>
    </message>
    <message>
        <source>Vertical</source>
        <translation>Vertikal</translation>
    </message>
    <message>
        <source>Static camera</source>
        <translation>Statische Kamera</translation>
    </message>
    <message>
        <source>Selected box track</source>
        <translation>Gewählte Boxspur</translation>
    </message>
    <message>
        <source>Change length</source>
        <translation>Länge ändern</translation>
    </message>
    <message>
        <source>Change frame rate</source>
        <translation>Bildrate ändern</translation>
    </message>
    <message>
        <source>Change size</source>
        <translation>Größe ändern</translation>
    </message>
    <message>
        <source>Change seed</source>
        <translation>Seed ändern</translation>
    </message>
    <message>
        <source>Change steps</source>
        <translation>Schritte ändern</translation>
    </message>
    <message>
        <source>Change guidance</source>
        <translation>Guidance ändern</translation>
    </message>
    <message>
        <source>Edit prompt</source>
        <translation>Prompt bearbeiten</translation>
    </message>
    <message>
        <source>Edit negative prompt</source>
        <translation>Negativ-Prompt bearbeiten</translation>
    </message>
    <message>
        <source>Pin box to scene</source>
        <translation>Box an die Szene heften</translation>
    </message>
    <message>
        <source>Set camera pan</source>
        <translation>Kameraschwenk setzen</translation>
    </message>
    <message>
        <source>Model sees: %1</source>
        <translation>Das Modell sieht: %1</translation>
    </message>
    <message>
        <source>%1 (built-in model)</source>
        <translation>%1 (eingebautes Modell)</translation>
    </message>
    <message>
        <source>DDIM</source>
        <translation>DDIM</translation>
    </message>
    <message>
        <source>DPM-Solver++ 2M</source>
        <translation>DPM-Solver++ 2M</translation>
    </message>
    <message>
        <source>DPM-Solver++ 2M Karras</source>
        <translation>DPM-Solver++ 2M Karras</translation>
    </message>
    <message>
        <source>Euler</source>
        <translation>Euler</translation>
    </message>
    <message>
        <source>The solver that removes the noise. DPM-Solver++ reaches in about 20 steps what DDIM reaches in 50; the subject and camera controls act at the same points of the schedule whatever the step count.</source>
        <translation>Das Verfahren, das das Rauschen entfernt. DPM-Solver++ erreicht in etwa 20 Schritten, was DDIM in 50 erreicht; Motiv- und Kamerasteuerung wirken unabhängig von der Schrittzahl an denselben Stellen des Ablaufs.</translation>
    </message>
    <message>
        <source>Sampler</source>
        <translation>Sampler</translation>
    </message>
    <message>
        <source>Change sampler</source>
        <translation>Sampler ändern</translation>
    </message>
    <message>
        <source>Background photo</source>
        <translation>Hintergrundfoto</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Wählen…</translation>
    </message>
    <message>
        <source>Choose the photo the camera pans across</source>
        <translation>Das Foto wählen, über das die Kamera schwenkt</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Use the neutral backdrop instead of a photo</source>
        <translation>Statt eines Fotos den neutralen Hintergrund verwenden</translation>
    </message>
    <message>
        <source>Set background photo</source>
        <translation>Hintergrundfoto festlegen</translation>
    </message>
    <message>
        <source>Background Photo</source>
        <translation>Hintergrundfoto</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.webp *.tif *.tiff)</source>
        <translation>Bilder (*.png *.jpg *.jpeg *.bmp *.webp *.tif *.tiff)</translation>
    </message>
    <message>
        <source>Cannot use this photo</source>
        <translation>Dieses Foto ist nicht verwendbar</translation>
    </message>
    <message>
        <source>Remove background photo</source>
        <translation>Hintergrundfoto entfernen</translation>
    </message>
    <message>
        <source>None: a neutral backdrop</source>
        <translation>Keins: ein neutraler Hintergrund</translation>
    </message>
    <message>
        <source>%1 (cannot be read)</source>
        <translation>%1 (nicht lesbar)</translation>
    </message>
    <message>
        <source>Pinned to the scene</source>
        <translation>An die Szene geheftet</translation>
    </message>
    <message>
        <source>The box moves with the camera, like something standing in the scene</source>
        <translation>Die Box bewegt sich mit der Kamera, wie etwas, das in der Szene steht</translation>
    </message>
    <message>
        <source>The box then moves with the camera.</source>
        <translation>Die Box bewegt sich dann mit der Kamera.</translation>
    </message>
</context>
<context>
    <name>mb::ui::StageView</name>
    <message>
        <source>Stage</source>
        <translation>Bühne</translation>
    </message>
    <message>
        <source>The output frame with subject boxes, motion paths and the camera pan arrow</source>
        <translation>Das Ausgabebild mit Motivboxen, Bewegungspfaden und dem Kameraschwenk-Pfeil</translation>
    </message>
    <message>
        <source>Draw box</source>
        <translation>Box zeichnen</translation>
    </message>
    <message>
        <source>Move box</source>
        <translation>Box verschieben</translation>
    </message>
    <message>
        <source>Resize box</source>
        <translation>Boxgröße ändern</translation>
    </message>
    <message>
        <source>Set camera pan</source>
        <translation>Kameraschwenk setzen</translation>
    </message>
    <message>
        <source>Camera pan %1%, %2%</source>
        <translation>Kameraschwenk %1 %, %2 %</translation>
    </message>
    <message>
        <source>Frame %1 / %2</source>
        <translation>Bild %1 / %2</translation>
    </message>
</context>
<context>
    <name>mb::ui::SubjectPanel</name>
    <message>
        <source>Subjects</source>
        <translation>Motive</translation>
    </message>
    <message>
        <source>Add a subject</source>
        <translation>Ein Motiv hinzufügen</translation>
    </message>
    <message>
        <source>Remove the selected subject and its box track</source>
        <translation>Das gewählte Motiv und seine Boxspur entfernen</translation>
    </message>
    <message>
        <source>e.g. toy robot</source>
        <translation>z. B. toy robot</translation>
    </message>
    <message>
        <source>The prompt refers to the subject as {id}</source>
        <translation>Der Prompt nennt das Motiv {id}</translation>
    </message>
    <message>
        <source>Learn from the photos</source>
        <translation>Aus den Fotos lernen</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Klasse</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>Kennung</translation>
    </message>
    <message>
        <source>Identifier</source>
        <translation>Bezeichner</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>Fotos</translation>
    </message>
    <message>
        <source>Add Photos…</source>
        <translation>Fotos hinzufügen…</translation>
    </message>
    <message>
        <source>Remove the selected photo</source>
        <translation>Das gewählte Foto entfernen</translation>
    </message>
    <message>
        <source>Auto-Mask</source>
        <translation>Auto-Maske</translation>
    </message>
    <message>
        <source>Brush: paint what belongs to the subject</source>
        <translation>Pinsel: malen, was zum Motiv gehört</translation>
    </message>
    <message>
        <source>Eraser: remove part of the mask</source>
        <translation>Radierer: einen Teil der Maske entfernen</translation>
    </message>
    <message>
        <source>Rectangle: re-segment inside a box</source>
        <translation>Rechteck: innerhalb eines Rahmens neu segmentieren</translation>
    </message>
    <message>
        <source>Brush size</source>
        <translation>Pinselgröße</translation>
    </message>
    <message>
        <source>Refine</source>
        <translation>Verfeinern</translation>
    </message>
    <message>
        <source>Re-segment with GrabCut, taking the brush strokes as certain</source>
        <translation>Mit GrabCut neu segmentieren, Pinselstriche gelten als sicher</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Add Photos</source>
        <translation>Fotos hinzufügen</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.webp *.tif *.tiff)</source>
        <translation>Bilder (*.png *.jpg *.jpeg *.bmp *.webp *.tif *.tiff)</translation>
    </message>
    <message numerus="yes">
        <source>%n photo(s)</source>
        <translation>
            <numerusform>%n Foto</numerusform>
            <numerusform>%n Fotos</numerusform>
        </translation>
    </message>
    <message>
        <source>
No mask yet</source>
        <translation>
Noch keine Maske</translation>
    </message>
    <message>
        <source>
Mask: %1</source>
        <translation>
Maske: %1</translation>
    </message>
    <message>
        <source>Add a subject, then drop its photos here.</source>
        <translation>Fügen Sie ein Motiv hinzu und ziehen Sie dann seine Fotos hierher.</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1 kann nicht gelesen werden: %2</translation>
    </message>
    <message>
        <source>Mask covers %1% of the photo</source>
        <translation>Die Maske deckt %1 % des Fotos ab</translation>
    </message>
    <message>
        <source>object</source>
        <translation>object</translation>
    </message>
    <message>
        <source>Add subject</source>
        <translation>Motiv hinzufügen</translation>
    </message>
    <message>
        <source>Remove subject</source>
        <translation>Motiv entfernen</translation>
    </message>
    <message>
        <source>The id %1 is taken</source>
        <translation>Die Kennung %1 ist vergeben</translation>
    </message>
    <message>
        <source>Edit subject</source>
        <translation>Motiv bearbeiten</translation>
    </message>
    <message numerus="yes">
        <source>Add %n photo(s)</source>
        <translation>
            <numerusform>%n Foto hinzufügen</numerusform>
            <numerusform>%n Fotos hinzufügen</numerusform>
        </translation>
    </message>
    <message>
        <source>Remove photo</source>
        <translation>Foto entfernen</translation>
    </message>
    <message>
        <source>%1: %p%</source>
        <translation>%1: %p%</translation>
    </message>
    <message>
        <source>Refine mask</source>
        <translation>Maske verfeinern</translation>
    </message>
    <message>
        <source>Auto-mask</source>
        <translation>Auto-Maske</translation>
    </message>
    <message>
        <source>Masked %1 in %2 s</source>
        <translation>%1 in %2 s maskiert</translation>
    </message>
    <message>
        <source>Masking %1 failed: %2</source>
        <translation>Maskieren von %1 fehlgeschlagen: %2</translation>
    </message>
    <message>
        <source>Masking cancelled</source>
        <translation>Maskieren abgebrochen</translation>
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation>%1 kann nicht geschrieben werden</translation>
    </message>
    <message>
        <source>Erase mask</source>
        <translation>Maske radieren</translation>
    </message>
    <message>
        <source>Paint mask</source>
        <translation>Maske malen</translation>
    </message>
    <message>
        <source>Drop 3–10 photos of the subject here.</source>
        <translation>Ziehen Sie 3–10 Fotos des Motivs hierher.</translation>
    </message>
    <message numerus="yes">
        <source>%n photo(s): 3–10 are recommended.</source>
        <translation>
            <numerusform>%n Foto: 3–10 werden empfohlen.</numerusform>
            <numerusform>%n Fotos: 3–10 werden empfohlen.</numerusform>
        </translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>Lade %1…</translation>
    </message>
    <message>
        <source>Rare single-token word that names the learned subject. Each subject has its own (sks, ohwx, phol, hta are given in turn); fine-tuning learns the subject under it.</source>
        <translation>Seltenes Wort aus einem einzigen Token, das das gelernte Motiv benennt. Jedes Motiv hat sein eigenes (sks, ohwx, phol, hta werden der Reihe nach vergeben); das Feintuning lernt das Motiv darunter.</translation>
    </message>
    <message>
        <source>Find the subject in the photos that have no mask yet (GrabCut, runs in the background); asks before replacing masks</source>
        <translation>Das Motiv in den Fotos ohne Maske finden (GrabCut, läuft im Hintergrund); fragt, bevor es Masken ersetzt</translation>
    </message>
    <message>
        <source>Every prepared identifier is taken: type a rare word that is one CLIP token for this subject (Identifier).</source>
        <translation>Alle vorbereiteten Bezeichner sind vergeben: geben Sie für dieses Motiv ein seltenes Wort ein, das ein einzelnes CLIP-Token ist (Bezeichner).</translation>
    </message>
    <message>
        <source>The identifier %1 is used by {%2}: each subject needs its own, or fine-tuning learns them as one.</source>
        <translation>Der Bezeichner %1 gehört {%2}: jedes Motiv braucht einen eigenen, sonst lernt das Feintuning sie als eines.</translation>
    </message>
    <message>
        <source>%1 is not a single token of CLIP&apos;s vocabulary, so fine-tuning cannot learn the subject under it. Rare single tokens: %2.</source>
        <translation>%1 ist kein einzelnes Token des CLIP-Vokabulars, daher kann das Feintuning das Motiv nicht darunter lernen. Seltene einzelne Tokens: %2.</translation>
    </message>
    <message numerus="yes">
        <source>Checking %n photo(s)…</source>
        <translation>
            <numerusform>%n Foto wird geprüft…</numerusform>
            <numerusform>%n Fotos werden geprüft…</numerusform>
        </translation>
    </message>
    <message>
        <source>Not added (cannot be read): %1</source>
        <translation>Nicht hinzugefügt (nicht lesbar): %1</translation>
    </message>
    <message>
        <source>Photos not added</source>
        <translation>Fotos nicht hinzugefügt</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) could not be read as an image and were not added:</source>
        <translation>
            <numerusform>%n Datei ließ sich nicht als Bild lesen und wurde nicht hinzugefügt:</numerusform>
            <numerusform>%n Dateien ließen sich nicht als Bild lesen und wurden nicht hinzugefügt:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Added %n photo(s)</source>
        <translation>
            <numerusform>%n Foto hinzugefügt</numerusform>
            <numerusform>%n Fotos hinzugefügt</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n photo(s) of this subject have a mask already.</source>
        <translation>
            <numerusform>%n Foto dieses Motivs hat schon eine Maske.</numerusform>
            <numerusform>%n Fotos dieses Motivs haben schon eine Maske.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Mask only the %n photo(s) without one, or replace every mask (painted and refined ones too; Undo brings them back)?</source>
        <translation>
            <numerusform>Nur das %n Foto ohne Maske maskieren, oder jede Maske ersetzen (auch gemalte und verfeinerte; Rückgängig holt sie zurück)?</numerusform>
            <numerusform>Nur die %n Fotos ohne Maske maskieren, oder jede Maske ersetzen (auch gemalte und verfeinerte; Rückgängig holt sie zurück)?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Mask %n Unmasked</source>
        <translation>
            <numerusform>%n ohne Maske maskieren</numerusform>
            <numerusform>%n ohne Maske maskieren</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>All %n photo(s) of this subject have a mask already.</source>
        <translation>
            <numerusform>Das %n Foto dieses Motivs hat schon eine Maske.</numerusform>
            <numerusform>Alle %n Fotos dieses Motivs haben schon eine Maske.</numerusform>
        </translation>
    </message>
    <message>
        <source>Replace every mask, painted and refined ones too? Undo brings them back.</source>
        <translation>Jede Maske ersetzen, auch gemalte und verfeinerte? Rückgängig holt sie zurück.</translation>
    </message>
    <message>
        <source>Re-mask All</source>
        <translation>Alle neu maskieren</translation>
    </message>
</context>
<context>
    <name>mb::ui::TakesPanel</name>
    <message>
        <source>Takes</source>
        <translation>Takes</translation>
    </message>
    <message>
        <source>No takes yet. Rendered takes appear here; double-click one to play it in the Preview.</source>
        <translation>Noch keine Takes. Gerenderte Takes erscheinen hier; ein Doppelklick spielt einen in der Vorschau ab.</translation>
    </message>
    <message>
        <source>Render Variations…</source>
        <translation>Varianten rendern…</translation>
    </message>
    <message>
        <source>Checking whether motionbooth-cli can render takes…</source>
        <translation>Prüfe, ob motionbooth-cli Takes rendern kann…</translation>
    </message>
    <message>
        <source>Queue several renders of this shot with consecutive seeds</source>
        <translation>Mehrere Renderings dieser Einstellung mit aufeinanderfolgenden Seeds einreihen</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>fehlt</translation>
    </message>
    <message>
        <source>Seed %1
%2</source>
        <translation>Seed %1
%2</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Remove the take from the project (Undo brings it back; the video file stays)</source>
        <translation>Den Take aus dem Projekt entfernen (Rückgängig holt ihn zurück; die Videodatei bleibt)</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exportieren…</translation>
    </message>
    <message>
        <source>Save the take as MP4, animated GIF or PNG sequence</source>
        <translation>Den Take als MP4, animiertes GIF oder PNG-Folge speichern</translation>
    </message>
    <message>
        <source>Show in Folder</source>
        <translation>Im Ordner zeigen</translation>
    </message>
    <message>
        <source>Open the take&apos;s folder in the file manager</source>
        <translation>Den Ordner des Takes im Dateimanager öffnen</translation>
    </message>
    <message>
        <source>Delete Take</source>
        <translation>Take löschen</translation>
    </message>
    <message>
        <source>Export Take…</source>
        <translation>Take exportieren…</translation>
    </message>
    <message>
        <source>Delete take (seed %1)</source>
        <translation>Take löschen (Seed %1)</translation>
    </message>
    <message>
        <source>No take is selected</source>
        <translation>Kein Take ausgewählt</translation>
    </message>
    <message>
        <source>%1: cannot create its folder</source>
        <translation>%1: sein Ordner kann nicht angelegt werden</translation>
    </message>
    <message>
        <source>%1: cannot copy %2 there (%3)</source>
        <translation>%1: %2 kann nicht dorthin kopiert werden (%3)</translation>
    </message>
    <message>
        <source>%1: the take has no frames</source>
        <translation>%1: der Take hat keine Bilder</translation>
    </message>
    <message>
        <source>%1: choose a name ending in .mp4, .gif or .png</source>
        <translation>%1: wählen Sie einen Namen mit .mp4, .gif oder .png am Ende</translation>
    </message>
    <message>
        <source>Export Take</source>
        <translation>Take exportieren</translation>
    </message>
    <message>
        <source>MP4 video (*.mp4);;Animated GIF (*.gif);;PNG sequence (*.png)</source>
        <translation>MP4-Video (*.mp4);;Animiertes GIF (*.gif);;PNG-Folge (*.png)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
</context>
<context>
    <name>mb::ui::TimelineWidget</name>
    <message>
        <source>hold</source>
        <translation>halten</translation>
    </message>
    <message>
        <source>linear</source>
        <translation>linear</translation>
    </message>
    <message>
        <source>ease in</source>
        <translation>sanft an</translation>
    </message>
    <message>
        <source>ease out</source>
        <translation>sanft aus</translation>
    </message>
    <message>
        <source>ease in-out</source>
        <translation>sanft an und aus</translation>
    </message>
    <message>
        <source>curve</source>
        <translation>Kurve</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>Zeitleiste</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Kamera</translation>
    </message>
    <message>
        <source>Add camera key</source>
        <translation>Kamera-Schlüssel hinzufügen</translation>
    </message>
    <message>
        <source>Add box key</source>
        <translation>Box-Schlüssel hinzufügen</translation>
    </message>
    <message>
        <source>Delete key</source>
        <translation>Schlüssel löschen</translation>
    </message>
    <message>
        <source>Paste key</source>
        <translation>Schlüssel einfügen</translation>
    </message>
    <message>
        <source>Set easing</source>
        <translation>Übergang setzen</translation>
    </message>
    <message>
        <source>Move key</source>
        <translation>Schlüssel verschieben</translation>
    </message>
    <message>
        <source>Easing to next key</source>
        <translation>Übergang zum nächsten Schlüssel</translation>
    </message>
    <message>
        <source>Hold</source>
        <translation>Halten</translation>
    </message>
    <message>
        <source>Linear</source>
        <translation>Linear</translation>
    </message>
    <message>
        <source>Ease in</source>
        <translation>Sanft beschleunigen</translation>
    </message>
    <message>
        <source>Ease out</source>
        <translation>Sanft abbremsen</translation>
    </message>
    <message>
        <source>Ease in-out</source>
        <translation>Sanft beschleunigen und bremsen</translation>
    </message>
    <message>
        <source>Copy key</source>
        <translation>Schlüssel kopieren</translation>
    </message>
    <message>
        <source>Add key at frame %1</source>
        <translation>Schlüssel bei Bild %1 hinzufügen</translation>
    </message>
    <message>
        <source>Paste key at frame %1</source>
        <translation>Schlüssel bei Bild %1 einfügen</translation>
    </message>
    <message>
        <source>Frame %1</source>
        <translation>Bild %1</translation>
    </message>
</context>
</TS>
