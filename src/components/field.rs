use leptos::html::Input;
use leptos::prelude::*;

/// A labelled text input whose error sits right under it, is tied to it for screen readers
/// (`aria-describedby`) and announced when it appears.
#[component]
pub fn TextField(
    id: &'static str,
    #[prop(into)] label: Signal<String>,
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(default = "off")] autocomplete: &'static str,
    #[prop(default = "text")] inputmode: &'static str,
    #[prop(into, optional)] hint: Option<Signal<String>>,
    #[prop(into, default = Signal::derive(|| true))] required: Signal<bool>,
    #[prop(optional)] node_ref: Option<NodeRef<Input>>,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let hint_id = format!("{id}-hint");
    let described_by = {
        let (error_id, hint_id) = (error_id.clone(), hint_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let node_ref = node_ref.unwrap_or_default();
    view! {
        <div class="field" class:invalid=move || error.get().is_some()>
            <label for=id>{label}</label>
            {hint.map(|hint| view! { <p class="hint" id=hint_id.clone()>{hint}</p> })}
            <input
                id=id
                name=id
                type=input_type
                autocomplete=autocomplete
                inputmode=inputmode
                node_ref=node_ref
                aria-required=move || required.get().to_string()
                aria-invalid=move || error.get().is_some().to_string()
                aria-describedby=described_by
                // The starting value as an attribute too, so the server's first paint shows it.
                value=value.get_untracked()
                prop:value=move || value.get()
                on:input:target=move |ev| value.set(ev.target().value())
            />
            <p class="error" id=error_id role="alert" data-testid=format!("{id}-error")>
                {move || error.get()}
            </p>
        </div>
    }
}
