//! The metadata vocabulary (lexicon/meta.toml): the labels that head a
//! report's signer, date, exam and accession fields, and the words that name
//! an exam's modality. Read as written; files after the first add to it.

use serde::Deserialize;

/// Labels and words for report metadata.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetaLexicon {
    /// Signer fields.
    #[serde(default)]
    pub signer: SignerWords,
    /// Date fields.
    #[serde(default)]
    pub date: DateWords,
    /// Exam-title fields.
    #[serde(default)]
    pub exam: Labels,
    /// Accession-number fields.
    #[serde(default)]
    pub accession: Labels,
    /// Modality name -> words of an exam title that name it.
    #[serde(default)]
    pub modality: std::collections::BTreeMap<String, Vec<String>>,
    /// Texts and the metadata read from them; run as tests.
    #[serde(default)]
    pub example: Vec<MetaExample>,
}

/// A label and how much its field outranks others of its kind.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ranked {
    /// The label, any case.
    pub label: String,
    /// Higher wins (the signer over the dictating resident).
    #[serde(default)]
    pub rank: u8,
}

/// Signer labels and the words around a name that are not the name.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SignerWords {
    /// Labels, ranked.
    #[serde(default)]
    pub labels: Vec<Ranked>,
    /// Labels that head a field without a colon.
    #[serde(default)]
    pub bare: Vec<String>,
    /// Words before a name ("Dr.").
    #[serde(default)]
    pub honorifics: Vec<String>,
    /// Words after a name ("MD", "FRCR").
    #[serde(default)]
    pub credentials: Vec<String>,
    /// Lower-case words a name may hold ("de", "van").
    #[serde(default)]
    pub particles: Vec<String>,
    /// Words after a name that end it ("on", "at").
    #[serde(default)]
    pub ends: Vec<String>,
}

/// Date labels, best first.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DateWords {
    /// The study's date.
    #[serde(default)]
    pub study: Vec<String>,
    /// The signature's date.
    #[serde(default)]
    pub signed: Vec<String>,
    /// A date of no stated kind.
    #[serde(default)]
    pub plain: Vec<String>,
    /// "mdy" (US) or "dmy": how a numeric date with slashes is read.
    pub numeric_order: Option<String>,
}

/// A list of labels.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Labels {
    /// The labels, any case.
    #[serde(default)]
    pub labels: Vec<String>,
}

/// An example: a text and what must be read from it (absent: nothing).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetaExample {
    /// The report text.
    pub text: String,
    /// The signer's name.
    pub signer: Option<String>,
    /// ISO date.
    pub date: Option<String>,
    /// Exam title.
    pub exam: Option<String>,
    /// Modality.
    pub modality: Option<String>,
    /// Accession number.
    pub accession: Option<String>,
}

impl MetaLexicon {
    /// Add another file's lists to these.
    pub fn extend(&mut self, other: MetaLexicon) {
        self.signer.labels.extend(other.signer.labels);
        self.signer.bare.extend(other.signer.bare);
        self.signer.honorifics.extend(other.signer.honorifics);
        self.signer.credentials.extend(other.signer.credentials);
        self.signer.particles.extend(other.signer.particles);
        self.signer.ends.extend(other.signer.ends);
        self.date.study.extend(other.date.study);
        self.date.signed.extend(other.date.signed);
        self.date.plain.extend(other.date.plain);
        if other.date.numeric_order.is_some() {
            self.date.numeric_order = other.date.numeric_order;
        }
        self.exam.labels.extend(other.exam.labels);
        self.accession.labels.extend(other.accession.labels);
        for (name, words) in other.modality {
            self.modality.entry(name).or_default().extend(words);
        }
        self.example.extend(other.example);
    }
}
