#pragma once
/**
 * \file render_options.h
 * \brief Draft overrides for one render of a take (the render dialog's choices): size, frames, steps,
 *        sampler and precision. They change what the job renders, never the project.
 *
 * Each value left at its default means "the shot's own" (precision: "auto"). A process job gets them as
 * `motionbooth-cli render` flags (`--frames --size --steps --sampler --dtype`), an in-process job as the
 * RenderRequest fields of the same names.
 */
#include <QString>
#include <QStringList>

namespace mb::ui {

struct RenderOptions {
    int frames = 0, width = 0, height = 0, steps = 0; ///< 0 = the shot's
    QString sampler;                                  ///< one of samplerNames(); empty = the shot's
    QString precision;                                ///< "auto", "fp32" or "bf16"; empty = "auto"

    /** The `motionbooth-cli render` flags for the values that are set. */
    QStringList cliArguments() const {
        QStringList a;
        if (frames > 0)
            a << QStringLiteral("--frames") << QString::number(frames);
        if (width > 0 && height > 0)
            a << QStringLiteral("--size") << QStringLiteral("%1x%2").arg(width).arg(height);
        if (steps > 0)
            a << QStringLiteral("--steps") << QString::number(steps);
        if (!sampler.isEmpty())
            a << QStringLiteral("--sampler") << sampler;
        if (!precision.isEmpty())
            a << QStringLiteral("--dtype") << precision;
        return a;
    }
    bool operator==(const RenderOptions& o) const {
        return frames == o.frames && width == o.width && height == o.height && steps == o.steps &&
               sampler == o.sampler && precision == o.precision;
    }
};

} // namespace mb::ui
