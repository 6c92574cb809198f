<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko">
<context>
    <name>ModelConversion</name>
    <message>
        <source>Convert the model to safetensors?</source>
        <translation>모델을 safetensors로 변환할까요?</translation>
    </message>
    <message>
        <source>The model in %1 keeps its weights only as PyTorch .bin files (%2).</source>
        <translation>%1의 모델은 가중치를 PyTorch .bin 파일로만 가지고 있습니다(%2).</translation>
    </message>
    <message>
        <source>Converting them once to safetensors makes every render and fine-tuning load the model faster (the weights are mapped, not unpickled), and safetensors files cannot carry code the way pickle files can.

The converted copy goes to %1; the original folder stays as it is. The conversion runs in the background (Jobs dock) and can be cancelled.</source>
        <translation>한 번 safetensors로 변환하면 모든 렌더와 미세 조정이 모델을 더 빨리 불러옵니다(가중치를 언피클하지 않고 매핑합니다). 또한 safetensors 파일은 pickle 파일처럼 코드를 담을 수 없습니다.

변환된 사본은 %1에 저장되며 원래 폴더는 그대로 남습니다. 변환은 백그라운드(작업 도크)에서 실행되며 취소할 수 있습니다.</translation>
    </message>
    <message>
        <source>Convert</source>
        <translation>변환</translation>
    </message>
    <message>
        <source>Not Now</source>
        <translation>나중에</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <source>MotionBooth Studio editor</source>
        <translation>MotionBooth 스튜디오 편집기</translation>
    </message>
    <message>
        <source>Render the main window to a PNG file and exit.</source>
        <translation>메인 창을 PNG 파일로 렌더링하고 종료합니다.</translation>
    </message>
    <message>
        <source>Project file to open.</source>
        <translation>열 프로젝트 파일.</translation>
    </message>
</context>
<context>
    <name>mb::ui::Autosaver</name>
    <message>
        <source>Autosave failed: %1</source>
        <translation>자동 저장 실패: %1</translation>
    </message>
</context>
<context>
    <name>mb::ui::CoreMessages</name>
    <message>
        <source>%1: not a readable image (corrupt, truncated, or not JPEG/PNG/WebP/BMP/TIFF)</source>
        <translation>%1: 읽을 수 있는 이미지가 아닙니다 (손상되었거나 잘렸거나 JPEG/PNG/WebP/BMP/TIFF가 아님)</translation>
    </message>
    <message>
        <source>%1: the mask is empty (no subject pixels)</source>
        <translation>%1: 마스크가 비어 있습니다 (피사체 픽셀 없음)</translation>
    </message>
    <message>
        <source>%1: is a folder, not an image</source>
        <translation>%1: 이미지가 아니라 폴더입니다</translation>
    </message>
    <message>
        <source>%1: the file is empty</source>
        <translation>%1: 파일이 비어 있습니다</translation>
    </message>
    <message>
        <source>%1: file not found</source>
        <translation>%1: 파일을 찾을 수 없습니다</translation>
    </message>
    <message>
        <source>{%1}: %2 has no mask yet; the whole photo is shown</source>
        <translation>{%1}: %2에 아직 마스크가 없어 사진 전체가 표시됩니다</translation>
    </message>
    <message>
        <source>%1: not a readable image: %2</source>
        <translation>%1: 읽을 수 있는 이미지가 아닙니다: %2</translation>
    </message>
    <message>
        <source>{%1} has no photos yet: add some in the Subjects dock</source>
        <translation>{%1}에 아직 사진이 없습니다: 피사체 도크에서 추가하세요</translation>
    </message>
</context>
<context>
    <name>mb::ui::CurvesPanel</name>
    <message>
        <source>Curves</source>
        <translation>커브</translation>
    </message>
    <message>
        <source>Frame</source>
        <translation>프레임</translation>
    </message>
    <message>
        <source>% of frame</source>
        <translation>프레임 대비 %</translation>
    </message>
    <message>
        <source>Box centre x</source>
        <translation>박스 중심 x</translation>
    </message>
    <message>
        <source>Box centre y</source>
        <translation>박스 중심 y</translation>
    </message>
    <message>
        <source>Box width</source>
        <translation>박스 너비</translation>
    </message>
    <message>
        <source>Box height</source>
        <translation>박스 높이</translation>
    </message>
    <message>
        <source>Camera x</source>
        <translation>카메라 x</translation>
    </message>
    <message>
        <source>Camera y</source>
        <translation>카메라 y</translation>
    </message>
    <message>
        <source>Edit camera curve</source>
        <translation>카메라 커브 편집</translation>
    </message>
    <message>
        <source>Edit box curve</source>
        <translation>박스 커브 편집</translation>
    </message>
</context>
<context>
    <name>mb::ui::ExportDialog</name>
    <message>
        <source>Export Animatic</source>
        <translation>애니매틱 내보내기</translation>
    </message>
    <message>
        <source>MP4 video (H.264, yuv420p)</source>
        <translation>MP4 동영상 (H.264, yuv420p)</translation>
    </message>
    <message>
        <source>PNG sequence</source>
        <translation>PNG 시퀀스</translation>
    </message>
    <message>
        <source>Animated GIF</source>
        <translation>애니메이션 GIF</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>형식</translation>
    </message>
    <message>
        <source>High quality (CRF 18)</source>
        <translation>고품질 (CRF 18)</translation>
    </message>
    <message>
        <source>Standard (CRF 23)</source>
        <translation>표준 (CRF 23)</translation>
    </message>
    <message>
        <source>Small file (CRF 28)</source>
        <translation>작은 파일 (CRF 28)</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>품질</translation>
    </message>
    <message>
        <source> fps</source>
        <translation> fps</translation>
    </message>
    <message>
        <source>Frame rate</source>
        <translation>프레임 속도</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>크기</translation>
    </message>
    <message numerus="yes">
        <source>%1 × %2 px, %n frame(s)</source>
        <translation>
            <numerusform>%1 × %2 px, %n 프레임</numerusform>
        </translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>찾아보기…</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>출력</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>내보내기</translation>
    </message>
    <message>
        <source>Cancel Export</source>
        <translation>내보내기 취소</translation>
    </message>
    <message>
        <source>Folder for the PNG frames</source>
        <translation>PNG 프레임 폴더</translation>
    </message>
    <message>
        <source>Export to</source>
        <translation>내보낼 위치</translation>
    </message>
    <message>
        <source>MP4 video (*.mp4)</source>
        <translation>MP4 동영상 (*.mp4)</translation>
    </message>
    <message>
        <source>GIF (*.gif)</source>
        <translation>GIF (*.gif)</translation>
    </message>
    <message>
        <source>Choose where to export first.</source>
        <translation>먼저 내보낼 위치를 선택하세요.</translation>
    </message>
    <message>
        <source>Exporting…</source>
        <translation>내보내는 중…</translation>
    </message>
    <message>
        <source>Exported to %1</source>
        <translation>%1(으)로 내보냄</translation>
    </message>
    <message>
        <source>&lt;b&gt;Export failed.&lt;/b&gt; %1</source>
        <translation>&lt;b&gt;내보내기 실패.&lt;/b&gt; %1</translation>
    </message>
    <message>
        <source>Export cancelled; nothing was written.</source>
        <translation>내보내기가 취소되었습니다. 아무것도 기록되지 않았습니다.</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>취소하는 중…</translation>
    </message>
</context>
<context>
    <name>mb::ui::ExportJob</name>
    <message>
        <source>No output path chosen</source>
        <translation>출력 경로가 선택되지 않았습니다</translation>
    </message>
    <message>
        <source>Cannot create the folder %1</source>
        <translation>폴더 %1을(를) 만들 수 없습니다</translation>
    </message>
</context>
<context>
    <name>mb::ui::FarmDialog</name>
    <message>
        <source>Seeds: give non-negative whole numbers separated by commas, e.g. 1,2,5.</source>
        <translation>시드: 쉼표로 구분한 0 이상의 정수를 입력하세요. 예: 1,2,5.</translation>
    </message>
    <message>
        <source>Variations: at least one take.</source>
        <translation>변형: 테이크가 하나 이상 필요합니다.</translation>
    </message>
    <message>
        <source>Time limit: use Slurm&apos;s format, e.g. 30, 01:30:00 or 1-00:00:00.</source>
        <translation>시간 제한: Slurm 형식을 사용하세요. 예: 30, 01:30:00 또는 1-00:00:00.</translation>
    </message>
    <message>
        <source>Memory: a number with an optional unit K, M, G or T, e.g. 8G.</source>
        <translation>메모리: 숫자와 선택적 단위 K, M, G 또는 T. 예: 8G.</translation>
    </message>
    <message>
        <source>CPUs per task must be at least 1 and GPUs per task not negative.</source>
        <translation>작업당 CPU는 1 이상, 작업당 GPU는 0 이상이어야 합니다.</translation>
    </message>
    <message>
        <source>Choose a job folder: the cluster&apos;s nodes must be able to reach it.</source>
        <translation>작업 폴더를 선택하세요. 클러스터의 노드가 접근할 수 있어야 합니다.</translation>
    </message>
    <message>
        <source>Render on Farm</source>
        <translation>팜에서 렌더</translation>
    </message>
    <message>
        <source>Renders one take per seed as a Slurm job array. The project and its assets are copied into the job folder; the nodes need motionbooth-cli and the models at the same paths (shared storage).</source>
        <translation>시드마다 테이크 하나를 Slurm 작업 배열로 렌더합니다. 프로젝트와 자산이 작업 폴더에 복사되며, 노드에는 같은 경로에 motionbooth-cli와 모델이 있어야 합니다(공유 저장소).</translation>
    </message>
    <message>
        <source>&amp;Variations</source>
        <translation>변형(&amp;V)</translation>
    </message>
    <message>
        <source>Takes with consecutive seeds, from the shot&apos;s seed on</source>
        <translation>샷의 시드부터 연속된 시드의 테이크</translation>
    </message>
    <message>
        <source>&amp;Seeds</source>
        <translation>시드(&amp;S)</translation>
    </message>
    <message>
        <source>1,2,5</source>
        <translation>1,2,5</translation>
    </message>
    <message>
        <source>Which shots to render (this project has one: &quot;all&quot; or 0)</source>
        <translation>렌더할 샷(이 프로젝트에는 하나뿐입니다: &quot;all&quot; 또는 0)</translation>
    </message>
    <message>
        <source>S&amp;hots:</source>
        <translation>샷(&amp;H):</translation>
    </message>
    <message>
        <source>cluster default</source>
        <translation>클러스터 기본값</translation>
    </message>
    <message>
        <source>&amp;Partition:</source>
        <translation>파티션(&amp;P):</translation>
    </message>
    <message>
        <source>e.g. 01:00:00</source>
        <translation>예: 01:00:00</translation>
    </message>
    <message>
        <source>&amp;Time limit:</source>
        <translation>시간 제한(&amp;T):</translation>
    </message>
    <message>
        <source>e.g. 16G</source>
        <translation>예: 16G</translation>
    </message>
    <message>
        <source>&amp;Memory per task:</source>
        <translation>작업당 메모리(&amp;M):</translation>
    </message>
    <message>
        <source>&amp;CPUs per task:</source>
        <translation>작업당 CPU(&amp;C):</translation>
    </message>
    <message>
        <source>&amp;GPUs per task:</source>
        <translation>작업당 GPU(&amp;G):</translation>
    </message>
    <message>
        <source>&amp;Job folder:</source>
        <translation>작업 폴더(&amp;J):</translation>
    </message>
    <message>
        <source>e.g. --model /shared/models/zeroscope --steps 25</source>
        <translation>예: --model /shared/models/zeroscope --steps 25</translation>
    </message>
    <message>
        <source>Further options of motionbooth-cli farm submit</source>
        <translation>motionbooth-cli farm submit의 추가 옵션</translation>
    </message>
    <message>
        <source>E&amp;xtra options:</source>
        <translation>추가 옵션(&amp;X):</translation>
    </message>
    <message>
        <source>&amp;Dry run: only write the job folder and its sbatch script</source>
        <translation>시험 실행(&amp;D): 작업 폴더와 sbatch 스크립트만 작성</translation>
    </message>
    <message>
        <source>&amp;Submit</source>
        <translation>제출(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Write Job Folder</source>
        <translation>작업 폴더 쓰기(&amp;W)</translation>
    </message>
</context>
<context>
    <name>mb::ui::FarmJobMonitor</name>
    <message>
        <source>The farm status is not JSON (%1 at offset %2)</source>
        <translation>팜 상태가 JSON이 아닙니다(%2 위치의 %1)</translation>
    </message>
    <message>
        <source>The farm status has no &quot;tasks&quot; list or &quot;finished&quot; flag</source>
        <translation>팜 상태에 &quot;tasks&quot; 목록이나 &quot;finished&quot; 플래그가 없습니다</translation>
    </message>
    <message>
        <source>A task of the farm status has no index or state</source>
        <translation>팜 상태의 작업에 번호나 상태가 없습니다</translation>
    </message>
    <message>
        <source>The output of farm collect is not the expected JSON</source>
        <translation>farm collect의 출력이 예상한 JSON이 아닙니다</translation>
    </message>
    <message>
        <source>A take in the output of farm collect has no video</source>
        <translation>farm collect 출력의 테이크에 동영상이 없습니다</translation>
    </message>
    <message>
        <source>task %1: %2</source>
        <translation>작업 %1: %2</translation>
    </message>
    <message>
        <source>motionbooth-cli did not answer within %1 s (is the Slurm controller reachable?)</source>
        <translation>motionbooth-cli가 %1초 안에 응답하지 않았습니다(Slurm 컨트롤러에 연결할 수 있습니까?)</translation>
    </message>
    <message>
        <source>motionbooth-cli exited with code %1</source>
        <translation>motionbooth-cli가 코드 %1로 종료되었습니다</translation>
    </message>
    <message>
        <source>motionbooth-cli was not found (set MB_CLI or install it next to the editor)</source>
        <translation>motionbooth-cli를 찾을 수 없습니다(MB_CLI를 설정하거나 편집기 옆에 설치하세요)</translation>
    </message>
    <message>
        <source>Cannot read the farm job&apos;s status: %1</source>
        <translation>팜 작업의 상태를 읽을 수 없습니다: %1</translation>
    </message>
    <message>
        <source>Cancel failed: %1</source>
        <translation>취소 실패: %1</translation>
    </message>
    <message>
        <source>Nothing was running</source>
        <translation>실행 중인 것이 없었습니다</translation>
    </message>
    <message>
        <source>Resubmit failed: %1</source>
        <translation>다시 제출 실패: %1</translation>
    </message>
    <message>
        <source>Collect failed: %1</source>
        <translation>수집 실패: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n take(s) verified</source>
        <translation>
            <numerusform>테이크 %n개 확인됨</numerusform>
        </translation>
    </message>
    <message>
        <source>Not collected:</source>
        <translation>수집되지 않음:</translation>
    </message>
</context>
<context>
    <name>mb::ui::FarmJobsPanel</name>
    <message>
        <source>Render on &amp;Farm…</source>
        <translation>팜에서 렌더(&amp;F)…</translation>
    </message>
    <message>
        <source>Render takes as a Slurm job array on a cluster (motionbooth-cli farm submit)</source>
        <translation>클러스터에서 Slurm 작업 배열로 테이크 렌더(motionbooth-cli farm submit)</translation>
    </message>
    <message>
        <source>Farm job</source>
        <translation>팜 작업</translation>
    </message>
    <message>
        <source>State</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>진행률</translation>
    </message>
    <message>
        <source>ETA</source>
        <translation>남은 시간</translation>
    </message>
    <message>
        <source>Render on Farm…</source>
        <translation>팜에서 렌더…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Resubmit Failed</source>
        <translation>실패한 작업 다시 제출</translation>
    </message>
    <message>
        <source>Collect Takes</source>
        <translation>테이크 수집</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>제거</translation>
    </message>
    <message>
        <source>Cancel the job&apos;s Slurm jobs (farm cancel)</source>
        <translation>작업의 Slurm 작업 취소(farm cancel)</translation>
    </message>
    <message>
        <source>Submit the failed or missing takes again (farm resubmit --failed)</source>
        <translation>실패했거나 없는 테이크를 다시 제출(farm resubmit --failed)</translation>
    </message>
    <message>
        <source>Verify the finished takes and add them to the Takes panel</source>
        <translation>완료된 테이크를 확인하고 테이크 패널에 추가</translation>
    </message>
    <message>
        <source>Stop watching this job; its folder stays on disk</source>
        <translation>이 작업 감시 중지(폴더는 디스크에 남습니다)</translation>
    </message>
    <message>
        <source>motionbooth-cli was not found: farm rendering needs it (set MB_CLI or install it next to the editor)</source>
        <translation>motionbooth-cli를 찾을 수 없습니다: 팜 렌더링에 필요합니다(MB_CLI를 설정하거나 편집기 옆에 설치하세요)</translation>
    </message>
    <message>
        <source>Cannot render on the farm</source>
        <translation>팜에서 렌더할 수 없습니다</translation>
    </message>
    <message>
        <source>Save the project first: the farm job freezes a copy of the saved project.</source>
        <translation>먼저 프로젝트를 저장하세요: 팜 작업은 저장된 프로젝트의 사본을 고정합니다.</translation>
    </message>
    <message>
        <source>Farm job folder (dry run): %1</source>
        <translation>팜 작업 폴더(시험 실행): %1</translation>
    </message>
    <message numerus="yes">
        <source>Farm submit: %n take(s) of %1</source>
        <translation>
            <numerusform>팜 제출: %1의 테이크 %n개</numerusform>
        </translation>
    </message>
    <message>
        <source>Farm submission failed: %1</source>
        <translation>팜 제출 실패: %1</translation>
    </message>
    <message>
        <source>Wrote the job folder %1 (not submitted).</source>
        <translation>작업 폴더 %1을(를) 만들었습니다(제출하지 않음).</translation>
    </message>
    <message>
        <source>Waiting for the first status…</source>
        <translation>첫 상태를 기다리는 중…</translation>
    </message>
    <message>
        <source>%1 of %2 done</source>
        <translation>%2개 중 %1개 완료</translation>
    </message>
    <message numerus="yes">
        <source>, %n failed</source>
        <translation>
            <numerusform>, 실패 %n개</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n running</source>
        <translation>
            <numerusform>, 실행 중 %n개</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>, %n pending</source>
        <translation>
            <numerusform>, 대기 중 %n개</numerusform>
        </translation>
    </message>
    <message>
        <source> (fine-tune: %1)</source>
        <translation> (미세 조정: %1)</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>완료</translation>
    </message>
    <message>
        <source>Watching: the status is read every %1 s</source>
        <translation>감시 중: %1초마다 상태를 읽습니다</translation>
    </message>
    <message>
        <source>Task %1 (seed %2)</source>
        <translation>작업 %1 (시드 %2)</translation>
    </message>
    <message>
        <source>, exit code %1</source>
        <translation>, 종료 코드 %1</translation>
    </message>
    <message>
        <source>, take does not match its sidecar</source>
        <translation>, 테이크가 사이드카와 일치하지 않음</translation>
    </message>
    <message>
        <source>Cannot read</source>
        <translation>읽을 수 없음</translation>
    </message>
    <message>
        <source>This farm job belongs to %1: open that project to collect its takes.</source>
        <translation>이 팜 작업은 %1에 속합니다: 테이크를 수집하려면 그 프로젝트를 여세요.</translation>
    </message>
    <message numerus="yes">
        <source>%n take(s) added to the Takes panel</source>
        <translation>
            <numerusform>테이크 %n개를 테이크 패널에 추가했습니다</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source> (%n already listed)</source>
        <translation>
            <numerusform> (%n개는 이미 있음)</numerusform>
        </translation>
    </message>
    <message>
        <source>Not collected:</source>
        <translation>수집되지 않음:</translation>
    </message>
    <message>
        <source>Add farm take (seed %1)</source>
        <translation>팜 테이크 추가(시드 %1)</translation>
    </message>
</context>
<context>
    <name>mb::ui::InProcessJob</name>
    <message>
        <source>unknown error</source>
        <translation>알 수 없는 오류</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>취소하는 중…</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 실패: %2</translation>
    </message>
    <message>
        <source>rendered seed %1 with %2 in %3 s</source>
        <translation>%2(으)로 시드 %1을(를) %3초에 렌더했습니다</translation>
    </message>
    <message>
        <source>trained %1 for %2 steps in %3 s, final loss %4: %5</source>
        <translation>%1을(를) %2단계 학습했습니다(%3초, 최종 손실 %4): %5</translation>
    </message>
    <message>
        <source>warning: %1</source>
        <translation>경고: %1</translation>
    </message>
    <message numerus="yes">
        <source>%n weight file(s) converted into %1</source>
        <translation>
            <numerusform>가중치 파일 %n개를 %1(으)로 변환했습니다</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mb::ui::JobLauncher</name>
    <message>
        <source>The model was converted to safetensors: %1</source>
        <translation>모델을 safetensors로 변환했습니다: %1</translation>
    </message>
    <message>
        <source>Use converted model</source>
        <translation>변환된 모델 사용</translation>
    </message>
    <message>
        <source>Using the converted model %1</source>
        <translation>변환된 모델 사용: %1</translation>
    </message>
    <message>
        <source>Nothing to fine-tune</source>
        <translation>파인튜닝할 것이 없습니다</translation>
    </message>
    <message>
        <source>Fine-tuning learns the subjects marked &quot;Learn from the photos&quot; from their photos. Add photos to such a subject first.</source>
        <translation>미세 조정은 &quot;사진으로 학습&quot;으로 표시된 피사체를 사진에서 학습합니다. 먼저 그런 피사체에 사진을 추가하세요.</translation>
    </message>
    <message>
        <source>Save the project first</source>
        <translation>먼저 프로젝트를 저장하세요</translation>
    </message>
    <message>
        <source>Fine-tuning reads the saved project and writes its checkpoint next to the project file: save the project first.</source>
        <translation>미세 조정은 저장된 프로젝트를 읽고 프로젝트 파일 옆에 체크포인트를 씁니다: 먼저 프로젝트를 저장하세요.</translation>
    </message>
    <message>
        <source>Fine-tuning finished, but</source>
        <translation>미세 조정이 끝났지만</translation>
    </message>
    <message>
        <source>Use fine-tuned checkpoint</source>
        <translation>파인튜닝한 체크포인트 사용</translation>
    </message>
    <message>
        <source>Set identifier of %1</source>
        <translation>%1의 식별자 설정</translation>
    </message>
    <message>
        <source>Fine-tuned checkpoint set: later renders use %1</source>
        <translation>미세 조정 체크포인트 설정: 이후 렌더는 %1을(를) 사용합니다</translation>
    </message>
    <message>
        <source>{%1} was learned as “%2” (its identifier “%3” is taken by another subject or not one token of the vocabulary)</source>
        <translation>{%1}은(는) “%2”(으)로 학습되었습니다 (식별자 “%3”은(는) 다른 피사체가 쓰고 있거나 어휘의 단일 토큰이 아닙니다)</translation>
    </message>
    <message>
        <source>Identifiers changed</source>
        <translation>식별자가 바뀜</translation>
    </message>
</context>
<context>
    <name>mb::ui::JobQueue</name>
    <message>
        <source>Job</source>
        <translation>작업</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>상태</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>진행률</translation>
    </message>
    <message>
        <source>Remaining</source>
        <translation>남은 시간</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>대기 중</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>실행 중</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>완료</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>실패</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>취소됨</translation>
    </message>
</context>
<context>
    <name>mb::ui::JobsDock</name>
    <message>
        <source>Job queue</source>
        <translation>작업 대기열</translation>
    </message>
    <message>
        <source>No job selected</source>
        <translation>선택된 작업 없음</translation>
    </message>
    <message>
        <source>Job log</source>
        <translation>작업 로그</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Stop the selected job at its next step (a separate process that does not stop within a few seconds is killed)</source>
        <translation>선택한 작업을 다음 단계에서 중지합니다 (몇 초 안에 멈추지 않는 별도 프로세스는 강제 종료됩니다)</translation>
    </message>
    <message>
        <source>Cancel All</source>
        <translation>모두 취소</translation>
    </message>
    <message>
        <source>Clear Finished</source>
        <translation>완료된 작업 지우기</translation>
    </message>
    <message>
        <source>Stage: %1</source>
        <translation>단계: %1</translation>
    </message>
    <message>
        <source>Elapsed %1  •  Remaining %2</source>
        <translation>경과 %1  •  남음 %2</translation>
    </message>
    <message>
        <source>Took %1</source>
        <translation>소요 %1</translation>
    </message>
    <message>
        <source>Step preview</source>
        <translation>단계 미리보기</translation>
    </message>
    <message>
        <source>Where the take is going: a cheap picture of every frame after the last denoising step. Cancel the job if it goes wrong.</source>
        <translation>테이크가 어떻게 되어 가는지: 마지막 노이즈 제거 단계 뒤 모든 프레임의 간단한 그림입니다. 잘못되어 가면 작업을 취소하세요.</translation>
    </message>
    <message>
        <source>%p% — failed</source>
        <translation>%p% — 실패</translation>
    </message>
    <message>
        <source>%p% — cancelled</source>
        <translation>%p% — 취소됨</translation>
    </message>
</context>
<context>
    <name>mb::ui::LossPlot</name>
    <message>
        <source>Training losses</source>
        <translation>학습 손실</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>스텝</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>손실</translation>
    </message>
</context>
<context>
    <name>mb::ui::MainWindow</name>
    <message>
        <source>Autosaved at %1</source>
        <translation>%1에 자동 저장됨</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>새로 만들기(&amp;N)</translation>
    </message>
    <message>
        <source>Start a new project</source>
        <translation>새 프로젝트 시작</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>열기(&amp;O)…</translation>
    </message>
    <message>
        <source>Open a project</source>
        <translation>프로젝트 열기</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>저장(&amp;S)</translation>
    </message>
    <message>
        <source>Save the project</source>
        <translation>프로젝트 저장</translation>
    </message>
    <message>
        <source>Save &amp;As…</source>
        <translation>다른 이름으로 저장(&amp;A)…</translation>
    </message>
    <message>
        <source>Save under a new name</source>
        <translation>새 이름으로 저장</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>내보내기(&amp;E)…</translation>
    </message>
    <message>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <source>Export the animatic as MP4, PNG sequence or GIF</source>
        <translation>애니매틱을 MP4, PNG 시퀀스 또는 GIF로 내보내기</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>환경설정(&amp;P)…</translation>
    </message>
    <message>
        <source>Ctrl+,</source>
        <translation>Ctrl+,</translation>
    </message>
    <message>
        <source>Model folder, threads, device, autosave, language</source>
        <translation>모델 폴더, 스레드, 장치, 자동 저장, 언어</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>종료(&amp;Q)</translation>
    </message>
    <message>
        <source>Quit MotionBooth Studio</source>
        <translation>MotionBooth 스튜디오 종료</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>실행 취소(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>다시 실행(&amp;R)</translation>
    </message>
    <message>
        <source>Ctrl+Y</source>
        <translation>Ctrl+Y</translation>
    </message>
    <message>
        <source>&amp;Copy Keyframe</source>
        <translation>키프레임 복사(&amp;C)</translation>
    </message>
    <message>
        <source>Copy the selected keyframe</source>
        <translation>선택한 키프레임 복사</translation>
    </message>
    <message>
        <source>&amp;Paste Keyframe</source>
        <translation>키프레임 붙여넣기(&amp;P)</translation>
    </message>
    <message>
        <source>Paste the keyframe at the playhead</source>
        <translation>재생 헤드 위치에 키프레임 붙여넣기</translation>
    </message>
    <message>
        <source>Add &amp;Keyframe</source>
        <translation>키프레임 추가(&amp;K)</translation>
    </message>
    <message>
        <source>Add a keyframe at the playhead on the selected track</source>
        <translation>선택한 트랙의 재생 헤드 위치에 키프레임 추가</translation>
    </message>
    <message>
        <source>&amp;Delete Keyframe</source>
        <translation>키프레임 삭제(&amp;D)</translation>
    </message>
    <message>
        <source>Delete the selected keyframe</source>
        <translation>선택한 키프레임 삭제</translation>
    </message>
    <message>
        <source>&amp;Select</source>
        <translation>선택(&amp;S)</translation>
    </message>
    <message>
        <source>Select, move and resize boxes</source>
        <translation>박스 선택, 이동, 크기 조절</translation>
    </message>
    <message>
        <source>Draw &amp;Box</source>
        <translation>박스 그리기(&amp;B)</translation>
    </message>
    <message>
        <source>Draw a subject box (Ctrl+drag works with any tool)</source>
        <translation>피사체 박스 그리기 (Ctrl+드래그는 모든 도구에서 동작)</translation>
    </message>
    <message>
        <source>&amp;Onion Skin</source>
        <translation>어니언 스킨(&amp;O)</translation>
    </message>
    <message>
        <source>Show ghosts of the neighbouring frames&apos; boxes</source>
        <translation>이웃 프레임 박스의 잔상 표시</translation>
    </message>
    <message>
        <source>Motion &amp;Paths</source>
        <translation>모션 경로(&amp;P)</translation>
    </message>
    <message>
        <source>Show each box centre&apos;s path with one dot per frame</source>
        <translation>각 박스 중심의 경로를 프레임마다 점으로 표시</translation>
    </message>
    <message>
        <source>S&amp;napping</source>
        <translation>스냅(&amp;N)</translation>
    </message>
    <message>
        <source>Shift+S</source>
        <translation>Shift+S</translation>
    </message>
    <message>
        <source>Snap box edges to the frame, thirds and other boxes (hold Alt to override)</source>
        <translation>박스 가장자리를 프레임, 3분할선, 다른 박스에 맞춤 (Alt를 누르면 해제)</translation>
    </message>
    <message>
        <source>&amp;Camera Arrow</source>
        <translation>카메라 화살표(&amp;C)</translation>
    </message>
    <message>
        <source>Show the camera pan arrow; drag its tip to set the pan</source>
        <translation>카메라 팬 화살표 표시. 끝을 드래그해 팬을 설정</translation>
    </message>
    <message>
        <source>&amp;Animatic Behind Stage</source>
        <translation>스테이지 뒤에 애니매틱 표시(&amp;A)</translation>
    </message>
    <message>
        <source>Draw the live animatic behind the boxes</source>
        <translation>박스 뒤에 실시간 애니매틱 표시</translation>
    </message>
    <message>
        <source>&amp;Play</source>
        <translation>재생(&amp;P)</translation>
    </message>
    <message>
        <source>Play / pause</source>
        <translation>재생 / 일시 정지</translation>
    </message>
    <message>
        <source>&amp;Next Frame</source>
        <translation>다음 프레임(&amp;N)</translation>
    </message>
    <message>
        <source>Next frame</source>
        <translation>다음 프레임</translation>
    </message>
    <message>
        <source>P&amp;revious Frame</source>
        <translation>이전 프레임(&amp;R)</translation>
    </message>
    <message>
        <source>Previous frame</source>
        <translation>이전 프레임</translation>
    </message>
    <message>
        <source>&amp;First Frame</source>
        <translation>첫 프레임(&amp;F)</translation>
    </message>
    <message>
        <source>Go to the first frame</source>
        <translation>첫 프레임으로 이동</translation>
    </message>
    <message>
        <source>&amp;Last Frame</source>
        <translation>마지막 프레임(&amp;L)</translation>
    </message>
    <message>
        <source>Go to the last frame</source>
        <translation>마지막 프레임으로 이동</translation>
    </message>
    <message>
        <source>&amp;Loop</source>
        <translation>반복(&amp;L)</translation>
    </message>
    <message>
        <source>Loop playback</source>
        <translation>반복 재생</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>일시 정지(&amp;P)</translation>
    </message>
    <message>
        <source>Transport</source>
        <translation>재생 컨트롤</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>타임라인</translation>
    </message>
    <message>
        <source>Curves</source>
        <translation>커브</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>미리보기</translation>
    </message>
    <message>
        <source>Properties</source>
        <translation>속성</translation>
    </message>
    <message>
        <source>Subjects</source>
        <translation>피사체</translation>
    </message>
    <message>
        <source>History</source>
        <translation>작업 내역</translation>
    </message>
    <message>
        <source>&lt;opened&gt;</source>
        <translation>&lt;열림&gt;</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>보기(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>최근 항목 열기(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>편집(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Stage</source>
        <translation>스테이지(&amp;S)</translation>
    </message>
    <message>
        <source>&amp;Playback</source>
        <translation>재생(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>도움말(&amp;H)</translation>
    </message>
    <message>
        <source>&amp;About MotionBooth Studio</source>
        <translation>MotionBooth 스튜디오 정보(&amp;A)</translation>
    </message>
    <message>
        <source>About MotionBooth Studio</source>
        <translation>MotionBooth 스튜디오 정보</translation>
    </message>
    <message>
        <source>&lt;h3&gt;MotionBooth Studio %1&lt;/h3&gt;&lt;p&gt;Customised text-to-video with box-controlled subject motion and camera pans.&lt;/p&gt;</source>
        <translation>&lt;h3&gt;MotionBooth 스튜디오 %1&lt;/h3&gt;&lt;p&gt;박스로 피사체 움직임과 카메라 팬을 제어하는 맞춤형 텍스트-비디오 생성.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>기본</translation>
    </message>
    <message>
        <source>x %1%  y %2%</source>
        <translation>x %1%  y %2%</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>준비됨</translation>
    </message>
    <message>
        <source>%1[*] — MotionBooth Studio</source>
        <translation>%1[*] — MotionBooth 스튜디오</translation>
    </message>
    <message>
        <source>Frame %1 / %2  •  %3 fps</source>
        <translation>프레임 %1 / %2  •  %3 fps</translation>
    </message>
    <message>
        <source>No recent projects</source>
        <translation>최근 프로젝트 없음</translation>
    </message>
    <message>
        <source>Clear List</source>
        <translation>목록 지우기</translation>
    </message>
    <message>
        <source>Open Project</source>
        <translation>프로젝트 열기</translation>
    </message>
    <message>
        <source>MotionBooth projects (*.mbproj)</source>
        <translation>MotionBooth 프로젝트 (*.mbproj)</translation>
    </message>
    <message>
        <source>Cannot open project</source>
        <translation>프로젝트를 열 수 없음</translation>
    </message>
    <message>
        <source>%1 could not be opened:

%2</source>
        <translation>%1을(를) 열 수 없습니다:

%2</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>%1 열림</translation>
    </message>
    <message>
        <source>Save Project</source>
        <translation>프로젝트 저장</translation>
    </message>
    <message>
        <source>Cannot save project</source>
        <translation>프로젝트를 저장할 수 없음</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>%1 저장됨</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>저장하지 않은 변경 사항</translation>
    </message>
    <message>
        <source>Save the changes to %1?</source>
        <translation>%1의 변경 사항을 저장할까요?</translation>
    </message>
    <message>
        <source>an unsaved project</source>
        <translation>저장되지 않은 프로젝트</translation>
    </message>
    <message>
        <source>Recover unsaved work?</source>
        <translation>저장하지 않은 작업을 복구할까요?</translation>
    </message>
    <message>
        <source>MotionBooth Studio did not close cleanly. An autosave of %1 from %2 exists.

Recover it?</source>
        <translation>MotionBooth 스튜디오가 정상적으로 종료되지 않았습니다. %2에 자동 저장된 %1이(가) 있습니다.

복구할까요?</translation>
    </message>
    <message>
        <source>Recover</source>
        <translation>복구</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>버리기</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>나중에</translation>
    </message>
    <message>
        <source>Recovery failed</source>
        <translation>복구 실패</translation>
    </message>
    <message>
        <source>Recovered; save to keep the changes</source>
        <translation>복구되었습니다. 변경 사항을 유지하려면 저장하세요</translation>
    </message>
    <message>
        <source>There is a keyframe on this frame already</source>
        <translation>이 프레임에는 이미 키프레임이 있습니다</translation>
    </message>
    <message>
        <source>Select a keyframe in the timeline first (a track keeps its last key)</source>
        <translation>먼저 타임라인에서 키프레임을 선택하세요 (트랙의 마지막 키는 지울 수 없습니다)</translation>
    </message>
    <message>
        <source>Render &amp;Animatic in Background</source>
        <translation>백그라운드에서 애니매틱 렌더링(&amp;A)</translation>
    </message>
    <message>
        <source>Render the animatic to MP4 with motionbooth-cli as a job in the Jobs dock</source>
        <translation>motionbooth-cli로 애니매틱을 MP4로 렌더링합니다 (작업 패널의 작업으로)</translation>
    </message>
    <message>
        <source>Take player</source>
        <translation>테이크 재생기</translation>
    </message>
    <message>
        <source>Take only</source>
        <translation>테이크만</translation>
    </message>
    <message>
        <source>Side by side with animatic</source>
        <translation>애니매틱과 나란히</translation>
    </message>
    <message>
        <source>Onion over animatic</source>
        <translation>애니매틱 위에 어니언 스킨</translation>
    </message>
    <message>
        <source>Compare the take with the animatic</source>
        <translation>테이크를 애니매틱과 비교</translation>
    </message>
    <message>
        <source>Back to Animatic</source>
        <translation>애니매틱으로 돌아가기</translation>
    </message>
    <message>
        <source>Takes</source>
        <translation>테이크</translation>
    </message>
    <message>
        <source>Jobs</source>
        <translation>작업</translation>
    </message>
    <message>
        <source>motionbooth-cli was not found next to the editor or on the PATH.</source>
        <translation>편집기 옆이나 PATH에서 motionbooth-cli를 찾을 수 없습니다.</translation>
    </message>
    <message>
        <source>This motionbooth-cli cannot render takes yet: its --help lists no &quot;render&quot; command (it offers: %1).</source>
        <translation>이 motionbooth-cli는 아직 테이크를 렌더링할 수 없습니다: --help에 &quot;render&quot; 명령이 없습니다 (제공 명령: %1).</translation>
    </message>
    <message>
        <source>This motionbooth-cli has no &quot;animatic&quot; command.</source>
        <translation>이 motionbooth-cli에는 &quot;animatic&quot; 명령이 없습니다.</translation>
    </message>
    <message>
        <source>Cannot run %1: %2</source>
        <translation>%1을(를) 실행할 수 없습니다: %2</translation>
    </message>
    <message>
        <source>cannot create the folder %1</source>
        <translation>폴더 %1을(를) 만들 수 없습니다</translation>
    </message>
    <message>
        <source>Cannot start the job</source>
        <translation>작업을 시작할 수 없습니다</translation>
    </message>
    <message>
        <source>The project could not be written for the job:

%1</source>
        <translation>작업용 프로젝트를 쓸 수 없습니다:

%1</translation>
    </message>
    <message>
        <source>Cannot render</source>
        <translation>렌더링할 수 없습니다</translation>
    </message>
    <message>
        <source>Cannot create the folder %1</source>
        <translation>폴더 %1을(를) 만들 수 없습니다</translation>
    </message>
    <message>
        <source>Add take (seed %1)</source>
        <translation>테이크 추가 (시드 %1)</translation>
    </message>
    <message>
        <source>Seed %1</source>
        <translation>시드 %1</translation>
    </message>
    <message>
        <source>Jobs running</source>
        <translation>작업 실행 중</translation>
    </message>
    <message>
        <source>Background jobs are still running. Cancel them and quit?</source>
        <translation>백그라운드 작업이 아직 실행 중입니다. 취소하고 종료할까요?</translation>
    </message>
    <message>
        <source>&amp;Fine-tune Subjects…</source>
        <translation>피사체 파인튜닝(&amp;F)…</translation>
    </message>
    <message>
        <source>Learn the subjects from their photos (MotionBooth subject learning); later renders use the checkpoint</source>
        <translation>사진에서 피사체를 학습합니다(MotionBooth 피사체 학습). 이후 렌더는 체크포인트를 사용합니다</translation>
    </message>
    <message>
        <source>Farm Jobs</source>
        <translation>팜 작업</translation>
    </message>
    <message>
        <source>Save before fine-tuning?</source>
        <translation>파인튜닝 전에 저장할까요?</translation>
    </message>
    <message>
        <source>Fine-tuning reads the saved project and writes its checkpoint next to it. Save %1 now?</source>
        <translation>미세 조정은 저장된 프로젝트를 읽고 그 옆에 체크포인트를 씁니다. 지금 %1을(를) 저장할까요?</translation>
    </message>
    <message>
        <source>Fine-tune Subjects</source>
        <translation>피사체 파인튜닝</translation>
    </message>
    <message>
        <source>Training steps (the reference trains 300):</source>
        <translation>학습 단계 수 (참조 구현은 300):</translation>
    </message>
    <message>
        <source>Render &amp;Take…</source>
        <translation>테이크 렌더링(&amp;T)…</translation>
    </message>
    <message>
        <source>Ctrl+R</source>
        <translation>Ctrl+R</translation>
    </message>
    <message>
        <source>Generate takes of the shot with the diffusion model: choose size, length, steps, sampler and precision, with the time it will take</source>
        <translation>확산 모델로 샷의 테이크를 생성합니다: 크기, 길이, 단계, 샘플러, 정밀도를 고르고 걸릴 시간을 확인합니다</translation>
    </message>
    <message>
        <source>Cannot render takes</source>
        <translation>테이크를 렌더링할 수 없습니다</translation>
    </message>
    <message>
        <source>Set &amp;Background Photo…</source>
        <translation>배경 사진 설정(&amp;B)…</translation>
    </message>
    <message>
        <source>&amp;Remove Background Photo</source>
        <translation>배경 사진 제거(&amp;R)</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) of this project are missing</source>
        <translation>
            <numerusform>이 프로젝트의 파일 %n개가 없습니다</numerusform>
        </translation>
    </message>
    <message>
        <source>{%1}: %2 → %3</source>
        <translation>{%1}: %2 → %3</translation>
    </message>
    <message>
        <source>Subjects share an identifier</source>
        <translation>피사체들이 식별자를 함께 씁니다</translation>
    </message>
    <message>
        <source>Each learned subject needs its own identifier, or fine-tuning learns them as one. Change these?

%1</source>
        <translation>학습할 피사체마다 고유한 식별자가 필요합니다. 그렇지 않으면 미세 조정이 하나로 학습합니다. 다음과 같이 바꿀까요?

%1</translation>
    </message>
    <message>
        <source>Set identifier of %1</source>
        <translation>%1의 식별자 설정</translation>
    </message>
    <message>
        <source>A take of the previous project finished after it was closed: %1</source>
        <translation>이전 프로젝트의 테이크가 프로젝트를 닫은 뒤에 끝났습니다: %1</translation>
    </message>
</context>
<context>
    <name>mb::ui::MaskEditor</name>
    <message>
        <source>Mask editor</source>
        <translation>마스크 편집기</translation>
    </message>
    <message>
        <source>Select a photo to see and edit its mask</source>
        <translation>사진을 선택하면 마스크를 보고 편집할 수 있습니다</translation>
    </message>
</context>
<context>
    <name>mb::ui::MemoryStatusLabel</name>
    <message>
        <source>Memory used by MotionBooth Studio / memory still available on this machine</source>
        <translation>MotionBooth 스튜디오가 사용하는 메모리 / 이 컴퓨터에서 아직 사용 가능한 메모리</translation>
    </message>
    <message>
        <source>Memory %1</source>
        <translation>메모리 %1</translation>
    </message>
    <message>
        <source> (%1 free)</source>
        <translation> (%1 사용 가능)</translation>
    </message>
</context>
<context>
    <name>mb::ui::PreviewWidget</name>
    <message>
        <source>Animatic preview</source>
        <translation>애니매틱 미리보기</translation>
    </message>
    <message>
        <source>No preview</source>
        <translation>미리보기 없음</translation>
    </message>
    <message>
        <source>%1  •  %2 ms</source>
        <translation>%1  •  %2 ms</translation>
    </message>
    <message>
        <source>Take player</source>
        <translation>테이크 재생기</translation>
    </message>
    <message>
        <source>Animatic</source>
        <translation>애니매틱</translation>
    </message>
    <message>
        <source>%1  •  %2 / %3</source>
        <translation>%1  •  %2 / %3</translation>
    </message>
    <message>
        <source>Step preview of the take being rendered</source>
        <translation>렌더링 중인 테이크의 단계 미리보기</translation>
    </message>
    <message>
        <source>frame %1 / %2</source>
        <translation>프레임 %1 / %2</translation>
    </message>
</context>
<context>
    <name>mb::ui::ProcessJob</name>
    <message>
        <source>motionbooth-cli was not found next to the editor or on the PATH (set MB_CLI to its path).</source>
        <translation>편집기 옆이나 PATH에서 motionbooth-cli를 찾을 수 없습니다 (MB_CLI에 경로를 지정하세요).</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>취소하는 중…</translation>
    </message>
    <message>
        <source>The process did not stop within %1 s; killing it.</source>
        <translation>프로세스가 %1초 안에 멈추지 않아 강제 종료합니다.</translation>
    </message>
    <message>
        <source>%1 crashed.</source>
        <translation>%1이(가) 비정상 종료되었습니다.</translation>
    </message>
    <message>
        <source>%1 failed (exit code %2).</source>
        <translation>%1 실패 (종료 코드 %2).</translation>
    </message>
    <message>
        <source>Cannot start %1: %2</source>
        <translation>%1을(를) 시작할 수 없습니다: %2</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>취소되었습니다.</translation>
    </message>
    <message>
        <source>Render animatic: %1</source>
        <translation>애니매틱 렌더링: %1</translation>
    </message>
    <message>
        <source>Render take (seed %1)</source>
        <translation>테이크 렌더링 (시드 %1)</translation>
    </message>
    <message>
        <source>Fine-tune subject: %1</source>
        <translation>대상 미세 조정: %1</translation>
    </message>
    <message>
        <source>Convert to safetensors: %1</source>
        <translation>safetensors로 변환: %1</translation>
    </message>
    <message>
        <source>step %1 / %2 — preview</source>
        <translation>단계 %1 / %2 — 미리보기</translation>
    </message>
    <message>
        <source>step %1 — preview</source>
        <translation>단계 %1 — 미리보기</translation>
    </message>
</context>
<context>
    <name>mb::ui::ProjectDocument</name>
    <message>
        <source>Untitled</source>
        <translation>제목 없음</translation>
    </message>
</context>
<context>
    <name>mb::ui::RelinkDialog</name>
    <message>
        <source>photo of {%1}</source>
        <translation>{%1}의 사진</translation>
    </message>
    <message>
        <source>mask of {%1}</source>
        <translation>{%1}의 마스크</translation>
    </message>
    <message>
        <source>background photo</source>
        <translation>배경 사진</translation>
    </message>
    <message>
        <source>take</source>
        <translation>테이크</translation>
    </message>
    <message>
        <source>take sidecar</source>
        <translation>테이크 사이드카</translation>
    </message>
    <message>
        <source>Missing Files</source>
        <translation>없는 파일</translation>
    </message>
    <message>
        <source>File</source>
        <translation>파일</translation>
    </message>
    <message>
        <source>Used as</source>
        <translation>용도</translation>
    </message>
    <message>
        <source>Found at</source>
        <translation>찾은 위치</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>Search Folder…</source>
        <translation>폴더 검색…</translation>
    </message>
    <message>
        <source>Pick the folder the files are in now; its subfolders are searched too</source>
        <translation>파일이 지금 있는 폴더를 고르세요. 하위 폴더도 검색합니다</translation>
    </message>
    <message>
        <source>Relink</source>
        <translation>다시 연결</translation>
    </message>
    <message>
        <source>Ignore</source>
        <translation>무시</translation>
    </message>
    <message>
        <source>Folder with the Missing Files</source>
        <translation>없는 파일이 있는 폴더</translation>
    </message>
    <message numerus="yes">
        <source>Relink %n file(s)</source>
        <translation>
            <numerusform>파일 %n개 다시 연결</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) this project uses are not where it expects them.</source>
        <translation>
            <numerusform>이 프로젝트가 쓰는 파일 %n개가 예상한 위치에 없습니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>Pick the folder they are in now: they are found by name.</source>
        <translation>파일이 지금 있는 폴더를 고르세요. 이름으로 찾습니다.</translation>
    </message>
    <message>
        <source>Found %1 of them; search another folder for the rest, or relink.</source>
        <translation>그중 %1개를 찾았습니다. 나머지는 다른 폴더에서 찾거나 다시 연결하세요.</translation>
    </message>
    <message numerus="yes">
        <source>Relink %n File(s)</source>
        <translation>
            <numerusform>파일 %n개 다시 연결</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>mb::ui::RenderDialog</name>
    <message>
        <source>Render Takes</source>
        <translation>테이크 렌더링</translation>
    </message>
    <message>
        <source>Built-in model (112 × 64, trained on this project&apos;s small world of balls, cubes and robots)</source>
        <translation>내장 모델 (112 × 64, 이 프로젝트의 공, 큐브, 로봇으로 이루어진 작은 세계로 학습됨)</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>모델</translation>
    </message>
    <message>
        <source>Each take uses the next seed, so the takes are variations of the same shot</source>
        <translation>테이크마다 다음 시드를 사용하므로 테이크들은 같은 샷의 변형입니다</translation>
    </message>
    <message>
        <source>Takes</source>
        <translation>테이크</translation>
    </message>
    <message>
        <source>%1 (built-in model)</source>
        <translation>%1 (내장 모델)</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>사용자 지정</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>크기</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>Must be a multiple of the model&apos;s VAE scale factor (8 for Zeroscope).</source>
        <translation>모델 VAE 배율의 배수여야 합니다 (Zeroscope는 8).</translation>
    </message>
    <message>
        <source> frames</source>
        <translation> 프레임</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>길이</translation>
    </message>
    <message>
        <source>Denoising steps: the time of a take grows with them</source>
        <translation>노이즈 제거 단계: 단계가 많을수록 테이크가 오래 걸립니다</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>단계</translation>
    </message>
    <message>
        <source>DPM-Solver++ reaches in about 20 steps what DDIM reaches in 50</source>
        <translation>DPM-Solver++는 DDIM이 50단계에서 얻는 결과를 약 20단계에서 얻습니다</translation>
    </message>
    <message>
        <source>Sampler</source>
        <translation>샘플러</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>자동</translation>
    </message>
    <message>
        <source>fp32 (exact)</source>
        <translation>fp32 (정확)</translation>
    </message>
    <message>
        <source>bf16 (faster on CPUs with AVX512-BF16 or AMX)</source>
        <translation>bf16 (AVX512-BF16 또는 AMX가 있는 CPU에서 더 빠름)</translation>
    </message>
    <message>
        <source>What the model computes in. Automatic uses bf16 where the CPU computes it natively (about twice as fast, a close approximation) and fp32 elsewhere.</source>
        <translation>모델이 계산에 쓰는 형식입니다. 자동은 CPU가 bf16을 직접 계산하면 bf16(약 두 배 빠르고 근사가 가까움)을, 그렇지 않으면 fp32를 씁니다.</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>정밀도</translation>
    </message>
    <message>
        <source>These settings are for these takes only; the shot keeps its own.</source>
        <translation>이 설정은 이번 테이크에만 적용되며, 샷은 자체 설정을 유지합니다.</translation>
    </message>
    <message>
        <source>Render</source>
        <translation>렌더링</translation>
    </message>
    <message>
        <source>The built-in model was trained at 112 × 64; larger sizes are slower and look worse.</source>
        <translation>내장 모델은 112 × 64로 학습되었습니다. 더 큰 크기는 느리고 결과도 나빠집니다.</translation>
    </message>
    <message>
        <source>seed %1</source>
        <translation>시드 %1</translation>
    </message>
    <message>
        <source>seeds %1–%2</source>
        <translation>시드 %1–%2</translation>
    </message>
    <message>
        <source>Estimated time: no estimate yet. It is measured when a take with this model, size, length and precision has finished on this computer.</source>
        <translation>예상 시간: 아직 추정치가 없습니다. 이 컴퓨터에서 이 모델, 크기, 길이, 정밀도로 테이크가 끝나면 측정됩니다.</translation>
    </message>
    <message>
        <source>measured: %1 s per step</source>
        <translation>측정값: 단계당 %1초</translation>
    </message>
    <message>
        <source>Estimated time: about %1 (%2)</source>
        <translation>예상 시간: 약 %1 (%2)</translation>
    </message>
    <message>
        <source>Estimated time: about %1 per take, %2 for %3 takes (%4)</source>
        <translation>예상 시간: 테이크당 약 %1, 테이크 %3개에 %2 (%4)</translation>
    </message>
</context>
<context>
    <name>mb::ui::SettingsDialog</name>
    <message>
        <source>Preferences</source>
        <translation>환경설정</translation>
    </message>
    <message>
        <source>Built-in default model</source>
        <translation>내장 기본 모델</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>찾아보기…</translation>
    </message>
    <message>
        <source>Model folder</source>
        <translation>모델 폴더</translation>
    </message>
    <message>
        <source>Choose a diffusers model folder</source>
        <translation>diffusers 모델 폴더 선택</translation>
    </message>
    <message>
        <source>Automatic (%1)</source>
        <translation>자동 (%1)</translation>
    </message>
    <message>
        <source>Threads</source>
        <translation>스레드</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>CUDA GPU</source>
        <translation>CUDA GPU</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>장치</translation>
    </message>
    <message>
        <source> s</source>
        <translation> 초</translation>
    </message>
    <message>
        <source>Off</source>
        <translation>끔</translation>
    </message>
    <message>
        <source>Autosave every</source>
        <translation>자동 저장 간격</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>시스템 언어</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>언어</translation>
    </message>
    <message>
        <source>The language changes at the next start.</source>
        <translation>언어는 다음 실행 때 바뀝니다.</translation>
    </message>
    <message>
        <source>In a separate process (safer)</source>
        <translation>별도 프로세스에서 (더 안전)</translation>
    </message>
    <message>
        <source>Inside the editor</source>
        <translation>편집기 안에서</translation>
    </message>
    <message>
        <source>Renders and fine-tuning run as a separate motionbooth-cli process by default, so a crash in the model cannot take the editor down. Inside the editor they run on a worker thread and skip starting a process and loading the model in it.</source>
        <translation>렌더와 미세 조정은 기본적으로 별도의 motionbooth-cli 프로세스로 실행되므로 모델이 충돌해도 편집기는 멈추지 않습니다. 편집기 안에서는 작업 스레드에서 실행되어 프로세스를 시작하고 그 안에서 모델을 불러오는 과정을 건너뜁니다.</translation>
    </message>
    <message>
        <source>Run renders</source>
        <translation>렌더 실행 방식</translation>
    </message>
</context>
<context>
    <name>mb::ui::ShotPanel</name>
    <message>
        <source>Shot</source>
        <translation>샷</translation>
    </message>
    <message>
        <source>a {subject} running on the beach</source>
        <translation>a {subject} running on the beach</translation>
    </message>
    <message>
        <source>Text prompt. Write {id} where a subject goes, e.g. {subject}.</source>
        <translation>텍스트 프롬프트. 피사체가 들어갈 자리에 {id}를 쓰세요. 예: {subject}.</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>프롬프트</translation>
    </message>
    <message>
        <source>blurry, low quality</source>
        <translation>blurry, low quality</translation>
    </message>
    <message>
        <source>Negative</source>
        <translation>네거티브</translation>
    </message>
    <message>
        <source> frames</source>
        <translation> 프레임</translation>
    </message>
    <message>
        <source>Clip length L. Keyframes keep their relative time when it changes.</source>
        <translation>클립 길이 L. 길이가 바뀌어도 키프레임은 상대적인 시간을 유지합니다.</translation>
    </message>
    <message>
        <source> fps</source>
        <translation> fps</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>길이</translation>
    </message>
    <message>
        <source>Custom</source>
        <translation>사용자 지정</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>크기</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>Must be a multiple of the model&apos;s VAE scale factor (8 for Zeroscope).</source>
        <translation>모델의 VAE 배율의 배수여야 합니다 (Zeroscope는 8).</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>무작위</translation>
    </message>
    <message>
        <source>Pick a new random seed</source>
        <translation>새 무작위 시드 선택</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>시드</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>스텝</translation>
    </message>
    <message>
        <source>Guidance</source>
        <translation>가이던스</translation>
    </message>
    <message>
        <source>Camera pan</source>
        <translation>카메라 팬</translation>
    </message>
    <message>
        <source>How far the view travels right over the whole clip, in % of the frame width</source>
        <translation>클립 전체에 걸쳐 화면이 오른쪽으로 이동하는 거리 (프레임 너비 대비 %)</translation>
    </message>
    <message>
        <source>How far the view travels down over the whole clip, in % of the frame height</source>
        <translation>클립 전체에 걸쳐 화면이 아래로 이동하는 거리 (프레임 높이 대비 %)</translation>
    </message>
    <message>
        <source>Horizontal</source>
        <translation>가로</translation>
    </message>
    <message>
        <source>Vertical</source>
        <translation>세로</translation>
    </message>
    <message>
        <source>Static camera</source>
        <translation>고정 카메라</translation>
    </message>
    <message>
        <source>Selected box track</source>
        <translation>선택한 박스 트랙</translation>
    </message>
    <message>
        <source>Change length</source>
        <translation>길이 변경</translation>
    </message>
    <message>
        <source>Change frame rate</source>
        <translation>프레임 속도 변경</translation>
    </message>
    <message>
        <source>Change size</source>
        <translation>크기 변경</translation>
    </message>
    <message>
        <source>Change seed</source>
        <translation>시드 변경</translation>
    </message>
    <message>
        <source>Change steps</source>
        <translation>스텝 수 변경</translation>
    </message>
    <message>
        <source>Change guidance</source>
        <translation>가이던스 변경</translation>
    </message>
    <message>
        <source>Edit prompt</source>
        <translation>프롬프트 편집</translation>
    </message>
    <message>
        <source>Edit negative prompt</source>
        <translation>네거티브 프롬프트 편집</translation>
    </message>
    <message>
        <source>Pin box to scene</source>
        <translation>박스를 장면에 고정</translation>
    </message>
    <message>
        <source>Set camera pan</source>
        <translation>카메라 팬 설정</translation>
    </message>
    <message>
        <source>Model sees: %1</source>
        <translation>모델이 보는 문장: %1</translation>
    </message>
    <message>
        <source>%1 (built-in model)</source>
        <translation>%1 (내장 모델)</translation>
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
        <translation>노이즈를 제거하는 풀이법입니다. DPM-Solver++는 DDIM이 50단계에서 얻는 결과를 약 20단계에서 얻으며, 대상과 카메라 제어는 단계 수와 관계없이 일정의 같은 지점에서 작동합니다.</translation>
    </message>
    <message>
        <source>Sampler</source>
        <translation>샘플러</translation>
    </message>
    <message>
        <source>Change sampler</source>
        <translation>샘플러 변경</translation>
    </message>
    <message>
        <source>Background photo</source>
        <translation>배경 사진</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>선택…</translation>
    </message>
    <message>
        <source>Choose the photo the camera pans across</source>
        <translation>카메라가 가로질러 이동할 사진을 고릅니다</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>제거</translation>
    </message>
    <message>
        <source>Use the neutral backdrop instead of a photo</source>
        <translation>사진 대신 중립 배경을 씁니다</translation>
    </message>
    <message>
        <source>Set background photo</source>
        <translation>배경 사진 설정</translation>
    </message>
    <message>
        <source>Background Photo</source>
        <translation>배경 사진</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.webp *.tif *.tiff)</source>
        <translation>이미지 (*.png *.jpg *.jpeg *.bmp *.webp *.tif *.tiff)</translation>
    </message>
    <message>
        <source>Cannot use this photo</source>
        <translation>이 사진을 쓸 수 없습니다</translation>
    </message>
    <message>
        <source>Remove background photo</source>
        <translation>배경 사진 제거</translation>
    </message>
    <message>
        <source>None: a neutral backdrop</source>
        <translation>없음: 중립 배경</translation>
    </message>
    <message>
        <source>%1 (cannot be read)</source>
        <translation>%1 (읽을 수 없음)</translation>
    </message>
    <message>
        <source>Pinned to the scene</source>
        <translation>장면에 고정</translation>
    </message>
    <message>
        <source>The box moves with the camera, like something standing in the scene</source>
        <translation>상자가 장면 속에 있는 것처럼 카메라와 함께 움직입니다</translation>
    </message>
    <message>
        <source>The box then moves with the camera.</source>
        <translation>그러면 상자가 카메라와 함께 움직입니다.</translation>
    </message>
</context>
<context>
    <name>mb::ui::StageView</name>
    <message>
        <source>Stage</source>
        <translation>스테이지</translation>
    </message>
    <message>
        <source>The output frame with subject boxes, motion paths and the camera pan arrow</source>
        <translation>피사체 박스, 모션 경로, 카메라 팬 화살표가 있는 출력 프레임</translation>
    </message>
    <message>
        <source>Draw box</source>
        <translation>박스 그리기</translation>
    </message>
    <message>
        <source>Move box</source>
        <translation>박스 이동</translation>
    </message>
    <message>
        <source>Resize box</source>
        <translation>박스 크기 조절</translation>
    </message>
    <message>
        <source>Set camera pan</source>
        <translation>카메라 팬 설정</translation>
    </message>
    <message>
        <source>Camera pan %1%, %2%</source>
        <translation>카메라 팬 %1%, %2%</translation>
    </message>
    <message>
        <source>Frame %1 / %2</source>
        <translation>프레임 %1 / %2</translation>
    </message>
</context>
<context>
    <name>mb::ui::SubjectPanel</name>
    <message>
        <source>Subjects</source>
        <translation>피사체</translation>
    </message>
    <message>
        <source>Add a subject</source>
        <translation>피사체 추가</translation>
    </message>
    <message>
        <source>Remove the selected subject and its box track</source>
        <translation>선택한 피사체와 박스 트랙 제거</translation>
    </message>
    <message>
        <source>e.g. toy robot</source>
        <translation>예: toy robot</translation>
    </message>
    <message>
        <source>The prompt refers to the subject as {id}</source>
        <translation>프롬프트에서는 피사체를 {id}로 부릅니다</translation>
    </message>
    <message>
        <source>Learn from the photos</source>
        <translation>사진으로 학습</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>클래스</translation>
    </message>
    <message>
        <source>Id</source>
        <translation>ID</translation>
    </message>
    <message>
        <source>Identifier</source>
        <translation>식별자</translation>
    </message>
    <message>
        <source>Photos</source>
        <translation>사진</translation>
    </message>
    <message>
        <source>Add Photos…</source>
        <translation>사진 추가…</translation>
    </message>
    <message>
        <source>Remove the selected photo</source>
        <translation>선택한 사진 제거</translation>
    </message>
    <message>
        <source>Auto-Mask</source>
        <translation>자동 마스크</translation>
    </message>
    <message>
        <source>Brush: paint what belongs to the subject</source>
        <translation>브러시: 피사체에 속하는 부분을 칠하기</translation>
    </message>
    <message>
        <source>Eraser: remove part of the mask</source>
        <translation>지우개: 마스크 일부 제거</translation>
    </message>
    <message>
        <source>Rectangle: re-segment inside a box</source>
        <translation>사각형: 상자 안에서 다시 분할</translation>
    </message>
    <message>
        <source>Brush size</source>
        <translation>브러시 크기</translation>
    </message>
    <message>
        <source>Refine</source>
        <translation>다듬기</translation>
    </message>
    <message>
        <source>Re-segment with GrabCut, taking the brush strokes as certain</source>
        <translation>브러시 획을 확실한 영역으로 보고 GrabCut으로 다시 분할</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>취소</translation>
    </message>
    <message>
        <source>Add Photos</source>
        <translation>사진 추가</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.webp *.tif *.tiff)</source>
        <translation>이미지 (*.png *.jpg *.jpeg *.bmp *.webp *.tif *.tiff)</translation>
    </message>
    <message numerus="yes">
        <source>%n photo(s)</source>
        <translation>
            <numerusform>사진 %n장</numerusform>
        </translation>
    </message>
    <message>
        <source>
No mask yet</source>
        <translation>
아직 마스크 없음</translation>
    </message>
    <message>
        <source>
Mask: %1</source>
        <translation>
마스크: %1</translation>
    </message>
    <message>
        <source>Add a subject, then drop its photos here.</source>
        <translation>피사체를 추가한 다음 사진을 여기에 끌어다 놓으세요.</translation>
    </message>
    <message>
        <source>Cannot read %1: %2</source>
        <translation>%1을(를) 읽을 수 없습니다: %2</translation>
    </message>
    <message>
        <source>Mask covers %1% of the photo</source>
        <translation>마스크가 사진의 %1%를 덮습니다</translation>
    </message>
    <message>
        <source>object</source>
        <translation>object</translation>
    </message>
    <message>
        <source>Add subject</source>
        <translation>피사체 추가</translation>
    </message>
    <message>
        <source>Remove subject</source>
        <translation>피사체 제거</translation>
    </message>
    <message>
        <source>The id %1 is taken</source>
        <translation>ID %1은(는) 이미 사용 중입니다</translation>
    </message>
    <message>
        <source>Edit subject</source>
        <translation>피사체 편집</translation>
    </message>
    <message numerus="yes">
        <source>Add %n photo(s)</source>
        <translation>
            <numerusform>사진 %n장 추가</numerusform>
        </translation>
    </message>
    <message>
        <source>Remove photo</source>
        <translation>사진 제거</translation>
    </message>
    <message>
        <source>%1: %p%</source>
        <translation>%1: %p%</translation>
    </message>
    <message>
        <source>Refine mask</source>
        <translation>마스크 다듬기</translation>
    </message>
    <message>
        <source>Auto-mask</source>
        <translation>자동 마스크</translation>
    </message>
    <message>
        <source>Masked %1 in %2 s</source>
        <translation>%1 마스크 완료 (%2초)</translation>
    </message>
    <message>
        <source>Masking %1 failed: %2</source>
        <translation>%1 마스크 생성 실패: %2</translation>
    </message>
    <message>
        <source>Masking cancelled</source>
        <translation>마스크 생성이 취소됨</translation>
    </message>
    <message>
        <source>Cannot write %1</source>
        <translation>%1을(를) 쓸 수 없습니다</translation>
    </message>
    <message>
        <source>Erase mask</source>
        <translation>마스크 지우기</translation>
    </message>
    <message>
        <source>Paint mask</source>
        <translation>마스크 칠하기</translation>
    </message>
    <message>
        <source>Drop 3–10 photos of the subject here.</source>
        <translation>피사체 사진 3–10장을 여기에 끌어다 놓으세요.</translation>
    </message>
    <message numerus="yes">
        <source>%n photo(s): 3–10 are recommended.</source>
        <translation>
            <numerusform>사진 %n장: 3–10장을 권장합니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>Loading %1…</source>
        <translation>%1 불러오는 중…</translation>
    </message>
    <message>
        <source>Rare single-token word that names the learned subject. Each subject has its own (sks, ohwx, phol, hta are given in turn); fine-tuning learns the subject under it.</source>
        <translation>학습한 피사체를 가리키는 드문 단일 토큰 단어. 피사체마다 고유합니다 (sks, ohwx, phol, hta를 차례로 줍니다). 미세 조정은 이 단어로 피사체를 학습합니다.</translation>
    </message>
    <message>
        <source>Find the subject in the photos that have no mask yet (GrabCut, runs in the background); asks before replacing masks</source>
        <translation>마스크가 없는 사진에서 피사체를 찾습니다 (GrabCut, 백그라운드 실행). 마스크를 바꾸기 전에 묻습니다</translation>
    </message>
    <message>
        <source>Every prepared identifier is taken: type a rare word that is one CLIP token for this subject (Identifier).</source>
        <translation>준비된 식별자를 모두 쓰고 있습니다. 이 피사체에 CLIP 단일 토큰인 드문 단어를 입력하세요 (식별자).</translation>
    </message>
    <message>
        <source>The identifier %1 is used by {%2}: each subject needs its own, or fine-tuning learns them as one.</source>
        <translation>식별자 %1은(는) {%2}이(가) 쓰고 있습니다. 피사체마다 고유해야 하며, 그렇지 않으면 미세 조정이 하나로 학습합니다.</translation>
    </message>
    <message>
        <source>%1 is not a single token of CLIP&apos;s vocabulary, so fine-tuning cannot learn the subject under it. Rare single tokens: %2.</source>
        <translation>%1은(는) CLIP 어휘의 단일 토큰이 아니어서 미세 조정이 이 단어로 피사체를 학습할 수 없습니다. 드문 단일 토큰: %2.</translation>
    </message>
    <message numerus="yes">
        <source>Checking %n photo(s)…</source>
        <translation>
            <numerusform>사진 %n장 확인 중…</numerusform>
        </translation>
    </message>
    <message>
        <source>Not added (cannot be read): %1</source>
        <translation>추가하지 않음 (읽을 수 없음): %1</translation>
    </message>
    <message>
        <source>Photos not added</source>
        <translation>사진을 추가하지 않음</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) could not be read as an image and were not added:</source>
        <translation>
            <numerusform>파일 %n개를 이미지로 읽을 수 없어 추가하지 않았습니다:</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Added %n photo(s)</source>
        <translation>
            <numerusform>사진 %n장 추가함</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n photo(s) of this subject have a mask already.</source>
        <translation>
            <numerusform>이 피사체의 사진 %n장에 이미 마스크가 있습니다.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Mask only the %n photo(s) without one, or replace every mask (painted and refined ones too; Undo brings them back)?</source>
        <translation>
            <numerusform>마스크가 없는 사진 %n장만 마스크할까요, 아니면 모든 마스크를 바꿀까요 (그린 것과 다듬은 것도 포함, 실행 취소로 되돌릴 수 있음)?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Mask %n Unmasked</source>
        <translation>
            <numerusform>마스크 없는 %n장 마스크</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>All %n photo(s) of this subject have a mask already.</source>
        <translation>
            <numerusform>이 피사체의 사진 %n장 모두에 이미 마스크가 있습니다.</numerusform>
        </translation>
    </message>
    <message>
        <source>Replace every mask, painted and refined ones too? Undo brings them back.</source>
        <translation>그린 것과 다듬은 것을 포함해 모든 마스크를 바꿀까요? 실행 취소로 되돌릴 수 있습니다.</translation>
    </message>
    <message>
        <source>Re-mask All</source>
        <translation>모두 다시 마스크</translation>
    </message>
</context>
<context>
    <name>mb::ui::TakesPanel</name>
    <message>
        <source>Takes</source>
        <translation>테이크</translation>
    </message>
    <message>
        <source>No takes yet. Rendered takes appear here; double-click one to play it in the Preview.</source>
        <translation>아직 테이크가 없습니다. 렌더링된 테이크가 여기에 표시되며, 두 번 클릭하면 미리보기에서 재생됩니다.</translation>
    </message>
    <message>
        <source>Render Variations…</source>
        <translation>변형 렌더링…</translation>
    </message>
    <message>
        <source>Checking whether motionbooth-cli can render takes…</source>
        <translation>motionbooth-cli가 테이크를 렌더링할 수 있는지 확인하는 중…</translation>
    </message>
    <message>
        <source>Queue several renders of this shot with consecutive seeds</source>
        <translation>연속된 시드로 이 샷의 렌더링 여러 개를 대기열에 추가</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>없음</translation>
    </message>
    <message>
        <source>Seed %1
%2</source>
        <translation>시드 %1
%2</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>삭제</translation>
    </message>
    <message>
        <source>Remove the take from the project (Undo brings it back; the video file stays)</source>
        <translation>프로젝트에서 테이크를 제거합니다 (실행 취소로 되돌릴 수 있으며, 동영상 파일은 남습니다)</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>내보내기…</translation>
    </message>
    <message>
        <source>Save the take as MP4, animated GIF or PNG sequence</source>
        <translation>테이크를 MP4, 애니메이션 GIF 또는 PNG 시퀀스로 저장합니다</translation>
    </message>
    <message>
        <source>Show in Folder</source>
        <translation>폴더에서 보기</translation>
    </message>
    <message>
        <source>Open the take&apos;s folder in the file manager</source>
        <translation>파일 관리자에서 테이크의 폴더를 엽니다</translation>
    </message>
    <message>
        <source>Delete Take</source>
        <translation>테이크 삭제</translation>
    </message>
    <message>
        <source>Export Take…</source>
        <translation>테이크 내보내기…</translation>
    </message>
    <message>
        <source>Delete take (seed %1)</source>
        <translation>테이크 삭제 (시드 %1)</translation>
    </message>
    <message>
        <source>No take is selected</source>
        <translation>선택한 테이크가 없습니다</translation>
    </message>
    <message>
        <source>%1: cannot create its folder</source>
        <translation>%1: 폴더를 만들 수 없습니다</translation>
    </message>
    <message>
        <source>%1: cannot copy %2 there (%3)</source>
        <translation>%1: %2을(를) 그곳에 복사할 수 없습니다 (%3)</translation>
    </message>
    <message>
        <source>%1: the take has no frames</source>
        <translation>%1: 테이크에 프레임이 없습니다</translation>
    </message>
    <message>
        <source>%1: choose a name ending in .mp4, .gif or .png</source>
        <translation>%1: .mp4, .gif 또는 .png로 끝나는 이름을 고르세요</translation>
    </message>
    <message>
        <source>Export Take</source>
        <translation>테이크 내보내기</translation>
    </message>
    <message>
        <source>MP4 video (*.mp4);;Animated GIF (*.gif);;PNG sequence (*.png)</source>
        <translation>MP4 동영상 (*.mp4);;애니메이션 GIF (*.gif);;PNG 시퀀스 (*.png)</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>내보내기 실패</translation>
    </message>
</context>
<context>
    <name>mb::ui::TimelineWidget</name>
    <message>
        <source>hold</source>
        <translation>유지</translation>
    </message>
    <message>
        <source>linear</source>
        <translation>선형</translation>
    </message>
    <message>
        <source>ease in</source>
        <translation>천천히 시작</translation>
    </message>
    <message>
        <source>ease out</source>
        <translation>천천히 끝</translation>
    </message>
    <message>
        <source>ease in-out</source>
        <translation>천천히 시작·끝</translation>
    </message>
    <message>
        <source>curve</source>
        <translation>커브</translation>
    </message>
    <message>
        <source>Timeline</source>
        <translation>타임라인</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>카메라</translation>
    </message>
    <message>
        <source>Add camera key</source>
        <translation>카메라 키 추가</translation>
    </message>
    <message>
        <source>Add box key</source>
        <translation>박스 키 추가</translation>
    </message>
    <message>
        <source>Delete key</source>
        <translation>키 삭제</translation>
    </message>
    <message>
        <source>Paste key</source>
        <translation>키 붙여넣기</translation>
    </message>
    <message>
        <source>Set easing</source>
        <translation>이징 설정</translation>
    </message>
    <message>
        <source>Move key</source>
        <translation>키 이동</translation>
    </message>
    <message>
        <source>Easing to next key</source>
        <translation>다음 키까지의 이징</translation>
    </message>
    <message>
        <source>Hold</source>
        <translation>유지</translation>
    </message>
    <message>
        <source>Linear</source>
        <translation>선형</translation>
    </message>
    <message>
        <source>Ease in</source>
        <translation>천천히 시작</translation>
    </message>
    <message>
        <source>Ease out</source>
        <translation>천천히 끝</translation>
    </message>
    <message>
        <source>Ease in-out</source>
        <translation>천천히 시작·끝</translation>
    </message>
    <message>
        <source>Copy key</source>
        <translation>키 복사</translation>
    </message>
    <message>
        <source>Add key at frame %1</source>
        <translation>프레임 %1에 키 추가</translation>
    </message>
    <message>
        <source>Paste key at frame %1</source>
        <translation>프레임 %1에 키 붙여넣기</translation>
    </message>
    <message>
        <source>Frame %1</source>
        <translation>프레임 %1</translation>
    </message>
</context>
</TS>
