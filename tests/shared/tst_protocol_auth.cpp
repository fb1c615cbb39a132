// Authentication (docs/protocol.md: register, login, auth, auth_ok): golden
// payloads, defaults and trimming, and every field's limits.
#include "protocol_fixture.h"

class TestProtocolAuth : public QObject {
    Q_OBJECT

private slots:
    void registerRequest();
    void loginRequest();
    void authRequest();
    void authOk();
    void normalized_data();
    void normalized() { checkNormalized(); }
    void badInput_data();
    void badInput() { checkBadInput(); }

    // Names and identity (issue 12: impersonation).
    void usernameKeys();
    void displayNames_data();
    void displayNames();
};

void TestProtocolAuth::registerRequest()
{
    GOLDEN(RegisterRequest, fromPayload, toPayload,
           R"({"username":"张三","password":"p å","displayName":"San Z"})");
    QCOMPARE(r->username, str("张三"));
    QCOMPARE(r->password, str("p å"));
    QCOMPARE(r->displayName, str("San Z"));
}

void TestProtocolAuth::loginRequest()
{
    GOLDEN(LoginRequest, fromPayload, toPayload, R"({"username":"not a valid name","password":""})");
    QCOMPARE(r->username, str("not a valid name")); // not format-checked: just invalid_credentials later
    QCOMPARE(r->password, QString());
}

void TestProtocolAuth::authRequest()
{
    GOLDEN(AuthRequest, fromPayload, toPayload, R"({"token":"abc.DEF-123"})");
    QCOMPARE(r->token, str("abc.DEF-123"));
}

void TestProtocolAuth::authOk()
{
    GOLDEN(AuthOk, fromPayload, toPayload,
           R"({"token":"tok","user":)" ALICE
           R"(,"policy":{"editWindowS":86400,"deleteWindowS":86400,"receipts":true}})");
    QCOMPARE(r->token, str("tok"));
    QCOMPARE(r->user, alice());
    QCOMPARE(r->policy, (ServerPolicy{86400, 86400, true}));
}

// Accepted input, normalized.
void TestProtocolAuth::normalized_data()
{
    normalizedColumns();
    row("register: displayName defaults", "request:register", R"({"username":"bob","password":"x"})",
        R"({"username":"bob","password":"x","displayName":"bob"})");
    row("register: displayName null", "request:register",
        R"({"username":"bob","password":"x","displayName":null})",
        R"({"username":"bob","password":"x","displayName":"bob"})");
    row("register: displayName blank", "request:register",
        R"({"username":"bob","password":"x","displayName":"  "})",
        R"({"username":"bob","password":"x","displayName":"bob"})");
    row("register: displayName trimmed", "request:register",
        R"({"username":"bob","password":"x","displayName":" Bob B \n"})",
        R"({"username":"bob","password":"x","displayName":"Bob B"})");
    row("register: 64-char displayName", "request:register",
        R"({"username":"b","password":"x","displayName":")" + repeated("é", 64) + R"("})",
        R"({"username":"b","password":"x","displayName":")" + repeated("é", 64) + R"("})");
    row("register: 1024-byte password", "request:register",
        R"({"username":"b","password":")" + repeated("é", 512) + R"("})",
        R"({"username":"b","password":")" + repeated("é", 512) + R"(","displayName":"b"})");
    // Issue 12: the username as stored is NFC (so is the display name).
    row("register: username to NFC", "request:register", R"({"username":"e\u0301mile","password":"x"})",
        R"({"username":"\u00e9mile","password":"x","displayName":"\u00e9mile"})");
    row("register: displayName to NFC", "request:register",
        R"({"username":"zoe","password":"x","displayName":"Zoe\u0308"})",
        R"({"username":"zoe","password":"x","displayName":"Zo\u00eb"})");
    row("register: displayName with ZWNJ and a ZWJ emoji", "request:register",
        R"({"username":"f","password":"x","displayName":"\u0645\u06cc\u200c\u062e \ud83d\udc68\u200d\ud83d\udc69"})",
        R"({"username":"f","password":"x","displayName":"\u0645\u06cc\u200c\u062e \ud83d\udc68\u200d\ud83d\udc69"})");
    row("login: 1024-byte password", "request:login",
        R"({"username":"b","password":")" + repeated("é", 512) + R"("})",
        R"({"username":"b","password":")" + repeated("é", 512) + R"("})");
    row("register: invite trimmed [ext]", "request:register",
        R"({"username":"bob","password":"x","invite":" abc-DEF_1 "})",
        R"({"username":"bob","password":"x","displayName":"bob","invite":"abc-DEF_1"})");
    row("register: invite null [ext]", "request:register",
        R"({"username":"bob","password":"x","invite":null})",
        R"({"username":"bob","password":"x","displayName":"bob"})");
}

// Rejected input: the code, and the field the message names.
void TestProtocolAuth::badInput_data()
{
    badInputColumns();
    bad("register: username missing", "request:register", R"({"password":"x"})", "username");
    bad("register: username number", "request:register", R"({"username":1,"password":"x"})", "username");
    bad("register: username space", "request:register", R"({"username":"a b","password":"x"})", "username");
    bad("register: username 33", "request:register",
        R"({"username":")" + repeated("a", 33) + R"(","password":"x"})", "username");
    bad("register: password missing", "request:register", R"({"username":"bob"})", "password");
    bad("register: password empty", "request:register", R"({"username":"bob","password":""})", "password");
    bad("register: password 1026 bytes", "request:register",
        R"({"username":"bob","password":")" + repeated("é", 513) + R"("})", "password");
    bad("register: displayName number", "request:register",
        R"({"username":"bob","password":"x","displayName":1})", "displayName");
    bad("register: invite number [ext]", "request:register",
        R"({"username":"bob","password":"x","invite":7})", "invite");
    bad("register: invite 129 [ext]", "request:register",
        R"({"username":"bob","password":"x","invite":")" + repeated("a", 129) + R"("})", "invite");
    bad("register: displayName 65", "request:register",
        R"({"username":"bob","password":"x","displayName":")" + repeated("z", 65) + R"("})", "displayName");
    // Issue 12: what could impersonate someone, and work done before a hash.
    bad("register: displayName RLO", "request:register",
        R"({"username":"bob","password":"x","displayName":"\u202Egnp.exe"})", "displayName");
    bad("register: displayName LRI", "request:register",
        R"({"username":"bob","password":"x","displayName":"a\u2066b"})", "displayName");
    bad("register: displayName RLM", "request:register",
        R"({"username":"bob","password":"x","displayName":"bob\u200F"})", "displayName");
    bad("register: displayName BEL", "request:register",
        R"({"username":"bob","password":"x","displayName":"b\u0007ob"})", "displayName");
    bad("register: displayName inner newline", "request:register",
        R"({"username":"bob","password":"x","displayName":"Bob\nAdmin"})", "displayName");
    bad("register: displayName C1 NEL", "request:register",
        R"({"username":"bob","password":"x","displayName":"Bo\u0085b"})", "displayName");
    bad("register: displayName zero width space", "request:register",
        R"({"username":"bob","password":"x","displayName":"B\u200Bob"})", "displayName");
    bad("register: displayName Hangul filler", "request:register",
        R"({"username":"bob","password":"x","displayName":"\u3164"})", "displayName");
    bad("register: displayName lone surrogate", "request:register",
        R"({"username":"bob","password":"x","displayName":"a\ud800b"})", "displayName");
    bad("login: password 1026 bytes", "request:login",
        R"({"username":"bob","password":")" + repeated("é", 513) + R"("})", "password");
    bad("login: password missing", "request:login", R"({"username":"bob"})", "password");
    bad("login: username array", "request:login", R"({"username":[],"password":"x"})", "username");
    bad("auth: token missing", "request:auth", "{}", "token");
    bad("auth: token empty", "request:auth", R"({"token":""})", "token");
    bad("auth: token number", "request:auth", R"({"token":12})", "token");
    bad("auth: token 257", "request:auth", R"({"token":")" + repeated("t", 257) + R"("})", "token");
    bad("auth_ok: token missing", "reply:auth_ok", R"({"user":)" ALICE "}", "token");
    bad("auth_ok: user id bool", "reply:auth_ok", R"({"token":"t","user":{"id":false}})", "user.id");
}

// --- names and identity (issue 12) ----------------------------------------

void TestProtocolAuth::usernameKeys()
{
    using validation::usernameKey;
    // Canonically equivalent spellings are one name, stored in NFC.
    QCOMPARE(validation::normalizeUsername(str("e\u0301mile")), str("\u00e9mile"));
    QCOMPARE(usernameKey(str("E\u0301mile")), usernameKey(str("\u00e9MILE")));
    QCOMPARE(usernameKey(str("\u00c9mile")), str("\u00e9mile"));
    // Compatibility forms too: fullwidth Latin, the Kelvin sign, a ligature.
    QCOMPARE(usernameKey(str("\uff41\uff4c\uff49\uff43\uff45")), str("alice"));
    QCOMPARE(usernameKey(str("\u212Aai")), str("kai"));
    QCOMPARE(usernameKey(str("\ufb01sh")), str("fish"));
    // As before for everything else: the old fold of ASCII and CJK names.
    QCOMPARE(usernameKey(str("Alice")), validation::foldCase(str("Alice")));
    QCOMPARE(usernameKey(str("张三")), str("张三"));
    QCOMPARE(usernameKey(str("ß")), validation::foldCase(str("ß")));
    // Idempotent, so a stored key can be recomputed from itself.
    for (const char* name : {"e\u0301mile", "\uff21\uff44\uff4d\uff49\uff4e", "\u0915\u093F", "ΣΊΣΥΦΟΣ"})
        QCOMPARE(usernameKey(usernameKey(str(name))), usernameKey(str(name)));
}

void TestProtocolAuth::displayNames_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<bool>("valid");
    QTest::newRow("plain") << str("Alice Liddell") << true;
    QTest::newRow("Chinese") << str("王小明") << true;
    QTest::newRow("Arabic") << str("محمد علي") << true;
    QTest::newRow("Hebrew and digits") << str("דוד 2") << true;
    QTest::newRow("Persian ZWNJ") << str("می\u200cخواهم") << true;
    QTest::newRow("emoji ZWJ sequence") << str("\U0001F468\u200D\U0001F469\u200D\U0001F467") << true;
    QTest::newRow("Devanagari") << str("अनु") << true;
    QTest::newRow("tab") << str("a\tb") << false;
    QTest::newRow("DEL") << str("a\u007Fb") << false;
    QTest::newRow("C1 CSI") << str("a\u009Bb") << false;
    QTest::newRow("line separator") << str("a\u2028b") << false;
    QTest::newRow("paragraph separator") << str("a\u2029b") << false;
    for (char16_t u : {u'\u202A', u'\u202B', u'\u202C', u'\u202D', u'\u202E', u'\u2066', u'\u2067',
                       u'\u2068', u'\u2069', u'\u200E', u'\u200F', u'\u061C', u'\u200B', u'\u2060',
                       u'\u2063', u'\uFEFF', u'\u115F', u'\u1160', u'\u3164', u'\uFFA0'}) {
        const QByteArray row = "U+" + QByteArray::number(quint16(u), 16).toUpper().rightJustified(4, '0');
        QTest::newRow(row.constData()) << (str("ab") + QChar(u) + str("c")) << false;
    }
    QTest::newRow("lone high surrogate") << (str("a") + QChar(0xD83D)) << false;
    QTest::newRow("lone low surrogate") << (QString(QChar(0xDE00)) + str("a")) << false;
}

void TestProtocolAuth::displayNames()
{
    QFETCH(QString, name);
    QFETCH(bool, valid);
    const QString problem = validation::displayNameProblem(name);
    QVERIFY2(problem.isEmpty() == valid, qPrintable(problem));
    if (!valid)
        QVERIFY(problem.startsWith(QLatin1String("displayName ")));
}

QTEST_APPLESS_MAIN(TestProtocolAuth)
#include "tst_protocol_auth.moc"
