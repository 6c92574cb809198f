#pragma once
/**
 * \file model_conversion.h
 * \brief Offering to convert a model folder whose components hold only pickled PyTorch `.bin` weights to
 *        safetensors (issue 8), and running the conversion as a background job (InProcessJob) in the queue.
 *
 * Why: safetensors load faster (memory-mapped, no unpickling) and cannot carry code the way pickle files
 * can. The conversion writes a sibling folder `<model>-safetensors` (the original stays untouched); later
 * renders and fine-tuning use that folder.
 *
 * \code
 *   if (needsConversion(folder)) {
 *       const QString target = convertedFolderFor(folder);
 *       if (QDir(target).exists() || askToConvert(this, folder, target)) ... startConversion(queue, folder,
 * target)
 *   }
 * \endcode
 */
#include <QString>
#include <QStringList>

class QWidget;

namespace mb::ui {

class InProcessJob;
class JobQueue;

/** The component folders of `modelFolder` that have `.bin` weights and no safetensors (empty: nothing to do,
 *  or not a folder). */
QStringList foldersNeedingConversion(const QString& modelFolder);
inline bool needsConversion(const QString& modelFolder) {
    return !foldersNeedingConversion(modelFolder).isEmpty();
}
/** Where the converted copy of `modelFolder` goes: `<modelFolder>-safetensors` beside it. */
QString convertedFolderFor(const QString& modelFolder);
/** True when `convertedFolderFor(modelFolder)` holds a finished conversion (it has model_index.json and no
 *  component still needing conversion). */
bool hasConvertedCopy(const QString& modelFolder);

/** Asks (modal) whether to convert, explaining why and where the copy goes. True = convert. */
bool askToConvert(QWidget* parent, const QString& modelFolder, const QString& target);

/** Queues the conversion of `modelFolder` into `target` (progress, log and cancel in the Jobs dock). */
InProcessJob* startConversion(JobQueue* queue, const QString& modelFolder, const QString& target);

} // namespace mb::ui
