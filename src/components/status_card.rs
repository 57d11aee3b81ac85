use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Neutral,
    Warning,
    Success,
    Error,
}

impl Tone {
    fn class(self) -> &'static str {
        match self {
            Tone::Neutral => "card status neutral",
            Tone::Warning => "card status warning",
            Tone::Success => "card status success",
            Tone::Error => "card status error",
        }
    }
}

/// A screen that explains why the customer cannot pay here, and offers the way out.
#[component]
pub fn StatusCard(
    tone: Tone,
    #[prop(into)] title: Signal<String>,
    #[prop(into)] body: Signal<String>,
    testid: &'static str,
    #[prop(optional)] children: Option<Children>,
) -> impl IntoView {
    view! {
        <section class=tone.class() data-testid=testid aria-labelledby="status-title">
            <h1 id="status-title">{title}</h1>
            <p>{body}</p>
            <div class="actions">{children.map(|c| c())}</div>
        </section>
    }
}
