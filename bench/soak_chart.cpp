#include "soak_chart.h"

#include <QFile>

#include <algorithm>
#include <cmath>
#include <functional>

namespace confab::bench {

SoakVerdict judgeSoak(const QList<SoakSample>& samples, double settleShare, double band)
{
    SoakVerdict v;
    if (samples.isEmpty()) {
        v.why = QStringLiteral("no samples");
        return v;
    }
    const double settledAt = samples.constLast().seconds * settleShare;
    QList<SoakSample> settled;
    for (const SoakSample& s : samples) {
        if (s.seconds >= settledAt)
            settled.append(s);
        v.storeQueueMax = std::max(v.storeQueueMax, s.storeQueue);
    }
    if (settled.size() < 3) {
        v.why = QStringLiteral("fewer than three samples after warm-up");
        return v;
    }
    v.rssLowKiB = v.rssHighKiB = settled.first().rssKiB;
    v.filesLow = v.filesHigh = settled.first().openFiles;
    for (const SoakSample& s : settled) {
        v.rssLowKiB = std::min(v.rssLowKiB, s.rssKiB);
        v.rssHighKiB = std::max(v.rssHighKiB, s.rssKiB);
        v.filesLow = std::min(v.filesLow, s.openFiles);
        v.filesHigh = std::max(v.filesHigh, s.openFiles);
    }
    v.rssGrowth = v.rssLowKiB > 0 ? double(v.rssHighKiB - v.rssLowKiB) / double(v.rssLowKiB) : 0;
    const int filesSlack = std::max(4, int(std::ceil(v.filesLow * band)));
    if (v.rssLowKiB <= 0)
        v.why = QStringLiteral("the server's RSS could not be read");
    else if (v.rssGrowth > band)
        v.why = QStringLiteral("RSS grew %1 % after warm-up (%2 -> %3 KiB), over the %4 % band")
                    .arg(v.rssGrowth * 100, 0, 'f', 1)
                    .arg(v.rssLowKiB)
                    .arg(v.rssHighKiB)
                    .arg(band * 100, 0, 'f', 0);
    else if (v.filesHigh - v.filesLow > filesSlack)
        v.why =
            QStringLiteral("open files moved from %1 to %2 after warm-up").arg(v.filesLow).arg(v.filesHigh);
    v.flat = v.why.isEmpty();
    return v;
}

namespace {

QString number(double x)
{
    return QString::number(x, 'f', 1);
}

// One panel: a polyline of `value` over time, scaled to its own range.
QString panel(const QList<SoakSample>& samples, const std::function<double(const SoakSample&)>& value,
              const QString& label, const QString& colour, double top, double settledAt)
{
    constexpr double left = 70, width = 620, height = 120;
    const double tMax = std::max(1.0, samples.constLast().seconds);
    double lo = value(samples.first()), hi = lo;
    for (const SoakSample& s : samples) {
        lo = std::min(lo, value(s));
        hi = std::max(hi, value(s));
    }
    if (hi - lo < 1e-9) { // a flat line sits mid-panel
        lo -= 1;
        hi += 1;
    }
    lo = std::min(lo, 0.0);
    auto x = [&](double t) { return left + width * t / tMax; };
    auto y = [&](double v) { return top + height - height * (v - lo) / (hi - lo); };
    QString points;
    for (const SoakSample& s : samples)
        points += number(x(s.seconds)) + QLatin1Char(',') + number(y(value(s))) + QLatin1Char(' ');
    QString svg;
    svg += QStringLiteral("<rect x='%1' y='%2' width='%3' height='%4' fill='#eef0f3'/>")
               .arg(number(left), number(top), number(x(settledAt) - left), number(height));
    svg += QStringLiteral("<rect x='%1' y='%2' width='%3' height='%4' fill='none' stroke='#999'/>")
               .arg(number(left), number(top), number(width), number(height));
    svg += QStringLiteral("<polyline fill='none' stroke='%1' stroke-width='2' points='%2'/>")
               .arg(colour, points);
    svg += QStringLiteral("<text x='%1' y='%2' font-size='12'>%3</text>")
               .arg(number(left), number(top - 4), label);
    svg += QStringLiteral("<text x='%1' y='%2' font-size='10' text-anchor='end'>%3</text>")
               .arg(number(left - 4), number(top + 10), number(hi));
    svg += QStringLiteral("<text x='%1' y='%2' font-size='10' text-anchor='end'>%3</text>")
               .arg(number(left - 4), number(top + height), number(lo));
    return svg;
}

} // namespace

QString soakChartSvg(const QList<SoakSample>& samples, const SoakVerdict& verdict, double settleShare)
{
    QString svg = QStringLiteral("<svg xmlns='http://www.w3.org/2000/svg' width='720' height='560' "
                                 "font-family='sans-serif'><rect width='720' height='560' fill='white'/>");
    if (samples.isEmpty())
        return svg + QStringLiteral("</svg>");
    const double settledAt = samples.constLast().seconds * settleShare;
    svg += QStringLiteral("<text x='70' y='22' font-size='14'>confab-server soak: %1 s, RSS %2 % after "
                          "warm-up (shaded): %3</text>")
               .arg(number(samples.constLast().seconds), number(verdict.rssGrowth * 100),
                    verdict.flat ? QStringLiteral("flat") : QStringLiteral("NOT flat"));
    svg += panel(
        samples, [](const SoakSample& s) { return double(s.rssKiB) / 1024; }, QStringLiteral("RSS (MiB)"),
        QStringLiteral("#1d6fd8"), 50, settledAt);
    svg += panel(
        samples, [](const SoakSample& s) { return double(s.openFiles); }, QStringLiteral("open files"),
        QStringLiteral("#2c9c46"), 210, settledAt);
    svg += panel(
        samples, [](const SoakSample& s) { return std::max(0.0, s.storeQueue); },
        QStringLiteral("store jobs waiting"), QStringLiteral("#d9480f"), 370, settledAt);
    svg += QStringLiteral(
               "<text x='70' y='530' font-size='11'>seconds: 0 to %1, a sample about every %2 s</text>")
               .arg(number(samples.constLast().seconds),
                    number(samples.size() > 1 ? samples.at(1).seconds - samples.at(0).seconds : 0));
    return svg + QStringLiteral("</svg>\n");
}

bool writeSoakChart(const QString& path, const QList<SoakSample>& samples, const SoakVerdict& verdict,
                    double settleShare)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    return file.write(soakChartSvg(samples, verdict, settleShare).toUtf8()) > 0;
}

} // namespace confab::bench
