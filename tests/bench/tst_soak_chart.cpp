// The soak's verdict and chart (bench/soak_chart.h), without a server: what
// counts as flat after warm-up, what does not, and an SVG that names it.
#include "soak_chart.h"

#include <QTest>

using namespace confab::bench;

namespace {

// `count` samples 10 s apart; RSS from `rss(i)`, open files from `files(i)`.
template <typename Rss, typename Files>
QList<SoakSample> series(int count, Rss rss, Files files)
{
    QList<SoakSample> samples;
    for (int i = 0; i < count; ++i) {
        SoakSample s;
        s.seconds = 10.0 * i;
        s.rssKiB = rss(i);
        s.openFiles = files(i);
        s.storeQueue = i % 3;
        samples.append(s);
    }
    return samples;
}

} // namespace

class TestSoakChart : public QObject {
    Q_OBJECT
private slots:
    void warmUpGrowthIsNotALeak()
    {
        // Doubles during the first quarter, then stays within 3 %.
        const auto samples = series(
            20, [](int i) { return i < 5 ? 10000 + 2000 * i : 20000 + (i % 2) * 500; },
            [](int) { return 120; });
        const SoakVerdict v = judgeSoak(samples, 0.25, 0.10);
        QVERIFY2(v.flat, qPrintable(v.why));
        QCOMPARE(v.rssLowKiB, 20000);
        QCOMPARE(v.rssHighKiB, 20500);
        QCOMPARE(v.storeQueueMax, 2.0);
    }
    void steadyGrowthIsALeak()
    {
        const auto samples = series(
            20, [](int i) { return 20000 + 300 * i; }, [](int) { return 120; });
        const SoakVerdict v = judgeSoak(samples, 0.25, 0.10);
        QVERIFY(!v.flat);
        QVERIFY2(v.why.contains(QStringLiteral("RSS grew")), qPrintable(v.why));
    }
    void leakingFilesAreNotFlat()
    {
        const auto samples = series(
            20, [](int) { return 20000; }, [](int i) { return 100 + 2 * i; });
        const SoakVerdict v = judgeSoak(samples, 0.25, 0.10);
        QVERIFY(!v.flat);
        QVERIFY2(v.why.contains(QStringLiteral("open files")), qPrintable(v.why));
        // A flood's few sockets coming and going are not a leak.
        const auto jitter = series(
            20, [](int) { return 20000; }, [](int i) { return 100 + (i % 2) * 3; });
        QVERIFY(judgeSoak(jitter, 0.25, 0.10).flat);
    }
    void tooFewSamplesIsNoVerdict()
    {
        QVERIFY(!judgeSoak({}, 0.25, 0.1).flat);
        QVERIFY(!judgeSoak(series(
                               2, [](int) { return 1; }, [](int) { return 1; }),
                           0.25, 0.1)
                     .flat);
    }
    void chartIsAnSvgWithThreePanels()
    {
        const auto samples = series(
            12, [](int i) { return 20000 + i; }, [](int) { return 120; });
        const QString svg = soakChartSvg(samples, judgeSoak(samples, 0.25, 0.10), 0.25);
        QVERIFY(svg.startsWith(QStringLiteral("<svg ")));
        QVERIFY(svg.trimmed().endsWith(QStringLiteral("</svg>")));
        QCOMPARE(svg.count(QStringLiteral("<polyline")), 3);
        QVERIFY(svg.contains(QStringLiteral(": flat")));
    }
};

QTEST_GUILESS_MAIN(TestSoakChart)
#include "tst_soak_chart.moc"
