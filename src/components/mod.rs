pub mod lang_switch;
pub mod layout;
pub mod skeleton;
pub mod status_card;
pub mod summary;
pub mod test_banner;
