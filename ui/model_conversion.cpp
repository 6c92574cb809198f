#include "ui/model_conversion.h"

#include "ml/weights_convert.h"
#include "ui/in_process_job.h"
#include "ui/job_queue.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QMessageBox>
#include <QPushButton>

namespace mb::ui {

namespace {
/** The translation context of these messages. */
struct ModelConversion {
    Q_DECLARE_TR_FUNCTIONS(ModelConversion)
};
} // namespace

QStringList foldersNeedingConversion(const QString& modelFolder) {
    if (modelFolder.isEmpty())
        return {};
    QStringList out;
    for (const std::string& f : ml::folders_needing_conversion(modelFolder.toStdString()))
        out << QString::fromStdString(f);
    return out;
}

QString convertedFolderFor(const QString& modelFolder) {
    const QFileInfo fi(QDir::cleanPath(QFileInfo(modelFolder).absoluteFilePath()));
    return fi.dir().filePath(fi.fileName() + QStringLiteral("-safetensors"));
}

bool hasConvertedCopy(const QString& modelFolder) {
    const QString target = convertedFolderFor(modelFolder);
    return QFileInfo(QDir(target).filePath(QStringLiteral("model_index.json"))).isFile() &&
           !needsConversion(target);
}

bool askToConvert(QWidget* parent, const QString& modelFolder, const QString& target) {
    const QStringList folders = foldersNeedingConversion(modelFolder);
    QStringList names;
    for (const QString& f : folders)
        names << (QFileInfo(f).absoluteFilePath() == QFileInfo(modelFolder).absoluteFilePath()
                      ? QStringLiteral(".")
                      : QFileInfo(f).fileName());
    QMessageBox box(QMessageBox::Question, ModelConversion::tr("Convert the model to safetensors?"),
                    ModelConversion::tr("The model in %1 keeps its weights only as PyTorch .bin files (%2).")
                        .arg(QDir::toNativeSeparators(modelFolder), names.join(QStringLiteral(", "))),
                    QMessageBox::NoButton, parent);
    box.setInformativeText(
        ModelConversion::tr(
            "Converting them once to safetensors makes every render and fine-tuning load the model faster "
            "(the weights are mapped, not unpickled), and safetensors files cannot carry code the way pickle "
            "files can.\n\nThe converted copy goes to %1; the original folder stays as it is. The conversion "
            "runs in the background (Jobs dock) and can be cancelled.")
            .arg(QDir::toNativeSeparators(target)));
    box.setObjectName(QStringLiteral("ConvertModelQuestion"));
    QPushButton* convert = box.addButton(ModelConversion::tr("Convert"), QMessageBox::AcceptRole);
    box.addButton(ModelConversion::tr("Not Now"), QMessageBox::RejectRole);
    box.setDefaultButton(convert);
    box.exec();
    return box.clickedButton() == convert;
}

InProcessJob* startConversion(JobQueue* queue, const QString& modelFolder, const QString& target) {
    InProcessJob* job = makeConvertWeightsJob(modelFolder, target);
    queue->add(job);
    return job;
}

} // namespace mb::ui
