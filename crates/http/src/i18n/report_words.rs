//! The words of the outcome and follow-through reports in a language. The domain states
//! stages, milestones and counting rules in English under stable keys (`Stage::as_str`,
//! `MilestoneKind::as_str`, the figure of each rule); English keeps the domain's words, French
//! looks the key up (`follow_through.ftl`, `outcome.ftl`, `detail.ftl`'s milestones). Pages,
//! JSON, CSV and workbooks word them here, so they say the same.

use pledgeboard_domain::follow_through::RowLabel;
use pledgeboard_domain::follow_through_stage::Stage;
use pledgeboard_domain::outcome::RULES;
use pledgeboard_domain::{Category, MilestoneKind};

use super::{Lang, category_name};

/// `key` in `lang`, else the English.
fn or_english(lang: Lang, key: &str, args: &[(&'static str, String)], english: &str) -> String {
    if lang == Lang::En {
        return english.to_owned();
    }
    match lang.t_with(key, args) {
        said if said == key => english.to_owned(),
        said => said,
    }
}

/// A follow-through stage: "Note verbale received", « Note verbale reçue ».
pub fn stage_label(stage: Stage, lang: Lang) -> String {
    or_english(
        lang,
        &format!("follow-stage-{}", stage.as_str()),
        &[],
        stage.label(),
    )
}

/// A milestone's label, as a pledge's timeline words it.
pub fn milestone_label(kind: MilestoneKind, lang: Lang) -> String {
    or_english(
        lang,
        &format!("milestone-{}", kind.as_str()),
        &[],
        kind.label(),
    )
}

/// A stalled pledge's last step: its latest milestone, or the announcement.
pub fn last_step_label(kind: Option<MilestoneKind>, lang: Lang) -> String {
    match kind {
        Some(k) => milestone_label(k, lang),
        None => stage_label(Stage::Announced, lang),
    }
}

/// The follow-through's rule of `figure` (its English from the domain), the stalled
/// threshold in it.
pub fn follow_through_rule(figure: &str, english: &str, stalled_days: u32, lang: Lang) -> String {
    or_english(
        lang,
        &format!("follow-rule-{figure}"),
        &[("days", stalled_days.to_string())],
        english,
    )
}

/// A label of the follow-through CSV, in `lang`.
pub fn follow_through_row_label(label: RowLabel<'_>, lang: Lang) -> String {
    match label {
        RowLabel::Withdrawn => or_english(lang, "follow-withdrawn", &[], &label.english()),
        RowLabel::Stage(s) => stage_label(s, lang),
        RowLabel::Interval(from, to) => {
            format!("{} → {}", stage_label(from, lang), stage_label(to, lang))
        }
        RowLabel::LastStep(kind) => last_step_label(kind, lang),
        RowLabel::Stalled => or_english(lang, "follow-stalled-pledges", &[], &label.english()),
        RowLabel::State(code) => code.to_owned(),
        RowLabel::Category(key) => key
            .parse::<Category>()
            .map_or_else(|_| key.to_owned(), |c| category_name(c, lang)),
    }
}

/// An outcome rule in `lang`, found by its English words in `RULES` (the domain gives a
/// figure its rule's words).
pub fn outcome_rule(english: &str, lang: Lang) -> String {
    RULES.iter().find(|(_, rule)| *rule == english).map_or_else(
        || english.to_owned(),
        |(key, rule)| or_english(lang, &format!("outcome-rule-{key}"), &[], rule),
    )
}

/// The outcome's rule of the figure `key`, in `lang`.
pub fn outcome_rule_of(key: &str, english: &str, lang: Lang) -> String {
    or_english(lang, &format!("outcome-rule-{key}"), &[], english)
}

#[cfg(test)]
mod tests {
    use pledgeboard_domain::follow_through::follow_through_rules;

    use super::*;

    #[test]
    fn every_stage_milestone_and_rule_has_french_words() {
        for stage in Stage::ALL.iter().copied() {
            let fr = stage_label(stage, Lang::Fr);
            assert_ne!(fr, stage.label(), "{stage:?}");
            assert_eq!(stage_label(stage, Lang::En), stage.label());
        }
        for kind in MilestoneKind::ALL.iter().copied() {
            assert_ne!(milestone_label(kind, Lang::Fr), kind.label(), "{kind:?}");
        }
        for (figure, english) in follow_through_rules(90) {
            let fr = follow_through_rule(figure, &english, 90, Lang::Fr);
            assert_ne!(fr, english, "{figure}");
            assert_eq!(follow_through_rule(figure, &english, 90, Lang::En), english);
            if figure == "stalled" {
                assert!(fr.contains("90"), "{fr}");
            }
        }
        for (key, english) in RULES {
            assert_ne!(outcome_rule(english, Lang::Fr), english, "{key}");
        }
    }
}
