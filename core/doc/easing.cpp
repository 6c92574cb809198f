#include "doc/easing.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace mb {

namespace {
// One coordinate of the cubic Bézier with end points 0 and 1 and control values a, b.
double bez(double s, double a, double b) {
    const double r = 1.0 - s;
    return 3.0 * r * r * s * a + 3.0 * r * s * s * b + s * s * s;
}
double bezDerivative(double s, double a, double b) {
    const double r = 1.0 - s;
    return 3.0 * r * r * a + 6.0 * r * s * (b - a) + 3.0 * s * s * (1.0 - b);
}
} // namespace

double Easing::progress(double u) const {
    u = std::clamp(u, 0.0, 1.0);
    switch (kind) {
    case Kind::Hold:
        return u >= 1.0 ? 1.0 : 0.0;
    case Kind::Linear:
        return u;
    case Kind::Bezier:
        break;
    }
    // Solve x(s) = u for s: Newton from s = u, falling back to bisection (x(s) is monotone since x1,x2 ∈
    // [0,1]).
    double s = u;
    for (int i = 0; i < 8; ++i) {
        const double err = bez(s, x1, x2) - u;
        if (std::fabs(err) < 1e-12)
            return bez(s, y1, y2);
        const double d = bezDerivative(s, x1, x2);
        if (std::fabs(d) < 1e-9)
            break;
        s -= err / d;
        if (s < 0.0 || s > 1.0)
            break;
    }
    double lo = 0.0, hi = 1.0;
    s = u;
    for (int i = 0; i < 100 && hi - lo > 1e-14; ++i) {
        s = 0.5 * (lo + hi);
        if (bez(s, x1, x2) < u)
            lo = s;
        else
            hi = s;
    }
    return bez(0.5 * (lo + hi), y1, y2);
}

std::string Easing::name() const {
    if (kind == Kind::Hold)
        return "hold";
    if (kind == Kind::Linear)
        return "linear";
    if (*this == easeIn())
        return "ease-in";
    if (*this == easeOut())
        return "ease-out";
    if (*this == easeInOut())
        return "ease-in-out";
    return "bezier";
}

Easing Easing::fromName(const std::string& name) {
    if (name == "hold")
        return hold();
    if (name == "linear")
        return linear();
    if (name == "ease-in")
        return easeIn();
    if (name == "ease-out")
        return easeOut();
    if (name == "ease-in-out")
        return easeInOut();
    throw std::invalid_argument("unknown easing '" + name +
                                "' (expected hold, linear, ease-in, ease-out, ease-in-out)");
}

} // namespace mb
