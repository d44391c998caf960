import { describe, expect, it } from "vitest";
import { detectLanguage, detectLanguageProbabilities, LangDetectError, withDetectionMemo } from "./langdetect";

// Expected languages are the answers of Python langdetect 1.0.9 with DetectorFactory.seed = 0.

const TYPICAL: [string, string][] = [
  ["en", "The quick brown fox jumps over the lazy dog while the farmer watches from the porch."],
  ["de", "Der schnelle braune Fuchs springt über den faulen Hund, während der Bauer zusieht."],
  ["fr", "Le renard brun rapide saute par-dessus le chien paresseux pendant que le fermier regarde."],
  ["es", "El rápido zorro marrón salta sobre el perro perezoso mientras el granjero observa."],
  ["it", "La volpe marrone veloce salta sopra il cane pigro mentre il contadino guarda."],
  ["pt", "A rápida raposa marrom pula sobre o cão preguiçoso enquanto o fazendeiro observa."],
  ["nl", "De snelle bruine vos springt over de luie hond terwijl de boer toekijkt."],
  ["fi", "Nopea ruskea kettu hyppää laiskan koiran yli, kun maanviljelijä katselee."],
  ["pl", "Szybki brązowy lis przeskakuje nad leniwym psem, a rolnik patrzy."],
  ["tr", "Hızlı kahverengi tilki tembel köpeğin üzerinden atlar."],
  ["sw", "Mbweha mwepesi wa kahawia anaruka juu ya mbwa mvivu huku mkulima akitazama."],
  ["ru", "Быстрая коричневая лиса прыгает через ленивую собаку, пока фермер смотрит."],
  ["bg", "Бързата кафява лисица прескача мързеливото куче, докато фермерът гледа."],
  ["el", "Ο γρήγορος καφέ αλεπού πηδά πάνω από τον τεμπέλη σκύλο."],
  ["ar", "الثعلب البني السريع يقفز فوق الكلب الكسول بينما يراقب المزارع."],
  ["fa", "روباه قهوه‌ای سریع از روی سگ تنبل می‌پرد در حالی که کشاورز نگاه می‌کند."],
  ["ur", "تیز بھوری لومڑی سست کتے کے اوپر چھلانگ لگاتی ہے جبکہ کسان دیکھتا ہے۔"],
  ["hi", "तेज़ भूरी लोमड़ी आलसी कुत्ते के ऊपर कूदती है जबकि किसान देखता है।"],
  ["mr", "जलद तपकिरी कोल्हा आळशी कुत्र्यावरून उडी मारतो आणि शेतकरी पाहतो."],
  ["ne", "तीव्र खैरो स्याल अल्छी कुकुरमाथि उफ्रन्छ र किसान हेर्छ।"],
  ["bn", "দ্রুত বাদামী শিয়াল অলস কুকুরের উপর দিয়ে লাফ দেয় যখন কৃষক দেখে।"],
  ["ta", "வேகமான பழுப்பு நரி சோம்பேறி நாயின் மேல் குதிக்கிறது."],
  ["te", "త్వరిత గోధుమ నక్క సోమరి కుక్కపై దూకుతుంది."],
  ["kn", "ಚುರುಕಾದ ಕಂದು ನರಿ ಸೋಮಾರಿ ನಾಯಿಯ ಮೇಲೆ ಹಾರುತ್ತದೆ."],
  ["pa", "ਤੇਜ਼ ਭੂਰੀ ਲੂੰਬੜੀ ਆਲਸੀ ਕੁੱਤੇ ਉੱਤੇ ਛਾਲ ਮਾਰਦੀ ਹੈ।"],
  ["gu", "ઝડપી ભૂરું શિયાળ આળસુ કૂતરા પર કૂદે છે."],
  ["th", "เจ้าสุนัขจิ้งจอกสีน้ำตาลกระโดดข้ามสุนัขขี้เกียจ"],
  ["vi", "Con cáo nâu nhanh nhẹn nhảy qua con chó lười trong khi người nông dân nhìn."],
  ["ko", "빠른 갈색 여우가 게으른 개를 뛰어넘는 동안 농부가 지켜본다."],
  ["ja", "素早い茶色のキツネが怠け者の犬を飛び越え、農夫が見ている。"],
  ["zh-cn", "敏捷的棕色狐狸跳过了懒惰的狗，农夫在一旁看着。"],
  ["zh-tw", "敏捷的棕色狐狸跳過了懶惰的狗，農夫在一旁看著。"],
];

describe("detectLanguage (langdetect 1.0.9, seed 0)", () => {
  it.each(TYPICAL)("detects %s", (lang, text) => {
    expect(detectLanguage(text)).toBe(lang);
  });

  it("composes Vietnamese letters written with combining marks", () => {
    const decomposed =
      "Con ca\u0301o nâu nhanh nhe\u0323n nha\u0309y qua con cho\u0301 lươ\u0300i trong khi người nông dân nhìn.";
    expect(detectLanguage(decomposed)).toBe("vi");
  });

  it("handles all-capital and all-lowercase English (IFEval change_case checks)", () => {
    expect(detectLanguage("THIS IS AN ENGLISH SENTENCE WRITTEN ENTIRELY IN CAPITAL LETTERS FOR TESTING.")).toBe("en");
    expect(detectLanguage("this is an english sentence written entirely in lowercase letters for testing.")).toBe("en");
  });

  it("ignores URLs and e-mail addresses, and astral characters", () => {
    expect(
      detectLanguage("Visit https://example.com/path?x=1 or mail john.doe@example.org for the details of the meeting."),
    ).toBe("en");
    expect(detectLanguage("Hi 😀 there friend 🎉")).toBe("en");
  });

  it("reproduces the seed-0 answers on short, ambiguous texts", () => {
    expect(detectLanguage("ok")).toBe("sk");
    expect(detectLanguage("hello")).toBe("fi");
    expect(detectLanguage("ABC DEF")).toBe("de");
    const probs = detectLanguageProbabilities("hello");
    expect(probs.map((p) => p.lang)).toEqual(["fi", "nl"]);
    expect(probs[0]!.prob).toBeCloseTo(0.7142823876778882, 12);
    expect(probs[1]!.prob).toBeCloseTo(0.28571303803778175, 12);
    expect(detectLanguageProbabilities("ok")[0]!.prob).toBeCloseTo(0.9999944857894201, 12);
  });

  it("is deterministic: repeated calls give the same result", () => {
    const a = detectLanguageProbabilities("hello");
    const b = detectLanguageProbabilities("hello");
    expect(b).toEqual(a);
  });

  it("shares a detection among texts of one withDetectionMemo that have the same features, and only there", () => {
    // `*` and a line break both normalise to a space: the two texts have the same n-grams.
    const plain = "Hello there, my dear friends.";
    const starred = "**Hello** there, my dear friends\n";
    const expected = detectLanguageProbabilities(plain);
    withDetectionMemo(() => {
      const first = detectLanguageProbabilities(plain);
      first[0]!.prob = -1; // a caller's change to its copy never reaches the memo
      expect(detectLanguageProbabilities(starred)).toEqual(expected);
      expect(detectLanguage("Das ist ein kurzer deutscher Satz")).toBe("de");
    });
    expect(detectLanguageProbabilities(starred)).toEqual(expected);
  });

  it("only reads the first 10,000 characters", () => {
    const text = "Это тест. ".repeat(2000) + "This is English. ".repeat(2000);
    expect(detectLanguage(text)).toBe("ru");
  });

  it.each([
    [""],
    ["12345 67890"],
    ["!!! ??? ... --- ,,, ;;;"],
    ["https://example.com/a/b"],
    ["john@example.com 42"],
    ["   \n\t  "],
  ])("throws LangDetectError when there are no features: %j", (text) => {
    expect(() => detectLanguage(text)).toThrow(LangDetectError);
    expect(() => detectLanguage(text)).toThrow("No features in text.");
  });

  it("detects a 2 KB text, the same way every time (its speed: bench/nlp.ts)", () => {
    const text = "The committee reviewed the proposal carefully and agreed to fund the new library. ".repeat(25);
    expect(text.length).toBeGreaterThan(2000);
    for (let i = 0; i < 5; i++) expect(detectLanguage(text)).toBe("en");
  });
});
