// File names from others (issue 16): any `name` becomes one file name that
// stays inside the folder chosen for saving ("../../x" included), unique
// there; and sizes for people.
#include "file_names.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace confab::client;

class TestFileNames : public QObject {
    Q_OBJECT

private slots:
    void safeFileName_data();
    void safeFileName();
    void longNamesKeepTheirExtension();
    void uniqueInAddsANumber();
    void hostileNamesSaveInsideTheFolder();
    void humanSize();
    void typeBadge();
    void safeToOpen();
};

void TestFileNames::safeFileName_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("expected");
    QTest::newRow("plain") << "report.pdf"
                           << "report.pdf";
    QTest::newRow("chinese") << QStringLiteral("会议纪要.pdf") << QStringLiteral("会议纪要.pdf");
    QTest::newRow("up and out") << "../../x"
                                << "x";
    QTest::newRow("windows up") << "..\\..\\evil.exe"
                                << "evil.exe";
    QTest::newRow("absolute") << "/etc/passwd"
                              << "etc_passwd";
    QTest::newRow("inner slash") << "1/2 results.txt"
                                 << "1_2 results.txt";
    QTest::newRow("dot dot only") << ".."
                                  << "file";
    QTest::newRow("dots") << "..."
                          << "file";
    QTest::newRow("empty") << ""
                           << "file";
    QTest::newRow("spaces") << "   "
                            << "file";
    QTest::newRow("hidden") << ".bashrc"
                            << "bashrc";
    QTest::newRow("trailing dots and spaces") << "notes.txt. . "
                                              << "notes.txt";
    QTest::newRow("control chars") << QStringLiteral("a\nb\tc\u0000d\u007f.txt") << "abcd.txt";
    // U+202E turns "report\u202Efdp.exe" into what looks like "reportexe.pdf".
    QTest::newRow("bidi override") << QStringLiteral("report\u202Efdp.exe") << "reportfdp.exe";
    QTest::newRow("windows forbidden") << "a:b*c?d\"e<f>g|h.txt"
                                       << "a_b_c_d_e_f_g_h.txt";
    QTest::newRow("device") << "CON"
                            << "_CON";
    QTest::newRow("device with extension") << "nul.txt"
                                           << "_nul.txt";
    QTest::newRow("device lowercase com") << "com1.log"
                                          << "_com1.log";
    QTest::newRow("not a device") << "console.txt"
                                  << "console.txt";
    QTest::newRow("lone surrogate") << QString(QChar(0xd800)) + QStringLiteral("x.png") << "x.png";
    QTest::newRow("emoji kept") << QStringLiteral("🎉 party.gif") << QStringLiteral("🎉 party.gif");
}

void TestFileNames::safeFileName()
{
    QFETCH(QString, name);
    QFETCH(QString, expected);
    QCOMPARE(files::safeFileName(name), expected);
}

void TestFileNames::longNamesKeepTheirExtension()
{
    const QString longName = QString(300, u'a') + QStringLiteral(".pdf");
    const QString safe = files::safeFileName(longName);
    QVERIFY(safe.endsWith(QStringLiteral(".pdf")));
    QCOMPARE(safe.toUtf8().size(), files::kMaxNameBytes);
    // Cut on whole characters: 3-byte Chinese and 4-byte emoji.
    const QString wide = QString(200, QChar(0x4f1a)) + QStringLiteral(".tar.gz");
    const QString safeWide = files::safeFileName(wide);
    QVERIFY(safeWide.endsWith(QStringLiteral(".tar.gz")));
    QVERIFY(safeWide.toUtf8().size() <= files::kMaxNameBytes);
    QCOMPARE(QString::fromUtf8(safeWide.toUtf8()), safeWide);
    QString emoji;
    for (int i = 0; i < 100; ++i)
        emoji += QStringLiteral("😀");
    const QString safeEmoji = files::safeFileName(emoji);
    QVERIFY(safeEmoji.toUtf8().size() <= files::kMaxNameBytes);
    QVERIFY(!safeEmoji.isEmpty() && !safeEmoji.back().isHighSurrogate());
    // An "extension" that is most of the name is not kept whole.
    const QString dotted = QStringLiteral("x.") + QString(300, u'b');
    QVERIFY(files::safeFileName(dotted).toUtf8().size() <= files::kMaxNameBytes);
}

void TestFileNames::uniqueInAddsANumber()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    QCOMPARE(files::uniqueIn(dir.path(), QStringLiteral("a.txt")), QStringLiteral("a.txt"));
    QFile(dir.filePath(QStringLiteral("a.txt"))).open(QIODevice::WriteOnly);
    QCOMPARE(files::uniqueIn(dir.path(), QStringLiteral("a.txt")), QStringLiteral("a (2).txt"));
    QFile(dir.filePath(QStringLiteral("a (2).txt"))).open(QIODevice::WriteOnly);
    QCOMPARE(files::uniqueIn(dir.path(), QStringLiteral("a.txt")), QStringLiteral("a (3).txt"));
    QFile(dir.filePath(QStringLiteral("b.tar.gz"))).open(QIODevice::WriteOnly);
    QCOMPARE(files::uniqueIn(dir.path(), QStringLiteral("b.tar.gz")), QStringLiteral("b (2).tar.gz"));
    QFile(dir.filePath(QStringLiteral("README"))).open(QIODevice::WriteOnly);
    QCOMPARE(files::uniqueIn(dir.path(), QStringLiteral("README")), QStringLiteral("README (2)"));
    // A dangling symlink is taken too: writing through it would land elsewhere.
    QVERIFY(QFile::link(dir.filePath(QStringLiteral("nowhere/at/all")),
                        dir.filePath(QStringLiteral("link.txt"))));
    QCOMPARE(files::uniqueIn(dir.path(), QStringLiteral("link.txt")), QStringLiteral("link (2).txt"));
}

void TestFileNames::hostileNamesSaveInsideTheFolder()
{
    QTemporaryDir root;
    QVERIFY(root.isValid());
    QDir(root.path()).mkpath(QStringLiteral("chosen"));
    const QString folder = QDir(root.path()).filePath(QStringLiteral("chosen"));
    const QString canonical = QDir(folder).canonicalPath();
    for (const QString& name :
         {QStringLiteral("../../x"), QStringLiteral("../x"), QStringLiteral(".."), QStringLiteral("/tmp/x"),
          QStringLiteral("..\\x"), QStringLiteral("a/../../b")}) {
        const QString path = files::savePathIn(folder, name);
        QVERIFY2(!path.isEmpty(), qPrintable(name));
        QFile out(path);
        QVERIFY2(out.open(QIODevice::WriteOnly | QIODevice::NewOnly), qPrintable(path));
        out.write("x");
        out.close();
        QCOMPARE(QFileInfo(path).canonicalFilePath(), QDir(canonical).filePath(QFileInfo(path).fileName()));
    }
    // Nothing landed next to the folder or above it.
    QCOMPARE(QDir(root.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
             QStringList{QStringLiteral("chosen")});
    QCOMPARE(QDir(folder).entryList(QDir::Files).size(), 6);
    QVERIFY(files::savePathIn(QDir(root.path()).filePath(QStringLiteral("missing")), QStringLiteral("x"))
                .isEmpty());
}

void TestFileNames::humanSize()
{
    QCOMPARE(files::humanSize(0), QStringLiteral("0 bytes"));
    QCOMPARE(files::humanSize(1), QStringLiteral("1 byte"));
    QCOMPARE(files::humanSize(999), QStringLiteral("999 bytes"));
    QCOMPARE(files::humanSize(1400), QStringLiteral("1.4 KB"));
    QCOMPARE(files::humanSize(482113), QStringLiteral("482 KB"));
    QCOMPARE(files::humanSize(26214400), QStringLiteral("26 MB"));
    QCOMPARE(files::humanSize(2500000000), QStringLiteral("2.5 GB"));
}

void TestFileNames::typeBadge()
{
    QCOMPARE(files::typeBadge(QStringLiteral("application/pdf"), QStringLiteral("会议纪要.pdf")),
             QStringLiteral("PDF"));
    QCOMPARE(files::typeBadge(QStringLiteral("application/zip"), QStringLiteral("archive")),
             QStringLiteral("ZIP"));
    QCOMPARE(files::typeBadge(QStringLiteral("image/svg+xml"), QStringLiteral("drawing")),
             QStringLiteral("SVG"));
    QCOMPARE(files::typeBadge(QStringLiteral("application/x-tar"), QStringLiteral("backup")),
             QStringLiteral("TAR"));
    QCOMPARE(files::typeBadge(QStringLiteral("application/octet-stream"), QStringLiteral("blob")),
             QStringLiteral("FILE"));
    QCOMPARE(files::typeBadge(QStringLiteral("text/plain"), QStringLiteral("notes.markdown")),
             QStringLiteral("FILE"));
    QCOMPARE(files::typeBadge(QStringLiteral("application/vnd.openxmlformats"), QStringLiteral("x.<b>")),
             QStringLiteral("FILE"));
}

void TestFileNames::safeToOpen()
{
    QVERIFY(files::isSafeToOpen(QStringLiteral("report.pdf"), QStringLiteral("application/pdf")));
    QVERIFY(files::isSafeToOpen(QStringLiteral("photo.JPG"), QStringLiteral("image/jpeg")));
    QVERIFY(files::isSafeToOpen(QStringLiteral("notes.txt"), QStringLiteral("text/plain")));
    // Programs, by name or by type, whichever says so.
    QVERIFY(!files::isSafeToOpen(QStringLiteral("setup.exe"), QStringLiteral("application/pdf")));
    QVERIFY(!files::isSafeToOpen(QStringLiteral("run.sh"), QStringLiteral("text/plain")));
    QVERIFY(!files::isSafeToOpen(QStringLiteral("evil.desktop"), QStringLiteral("text/plain")));
    QVERIFY(!files::isSafeToOpen(QStringLiteral("report.pdf"), QStringLiteral("application/x-executable")));
    QVERIFY(!files::isSafeToOpen(QStringLiteral("page.html"), QStringLiteral("text/html")));
    QVERIFY(!files::isSafeToOpen(QStringLiteral("README"), QStringLiteral("text/plain")));
    QVERIFY(!files::isSafeToOpen(QStringLiteral("blob.dat"), QStringLiteral("application/octet-stream")));
    // A bidi override cannot hide ".exe" behind ".pdf".
    QVERIFY(!files::isSafeToOpen(QStringLiteral("report\u202Efdp.exe"), QStringLiteral("application/pdf")));
}

QTEST_GUILESS_MAIN(TestFileNames)
#include "tst_file_names.moc"
