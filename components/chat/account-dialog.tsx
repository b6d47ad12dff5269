import { DndSetting } from "./dnd-setting";
import { Modal } from "./modal";
import { NotificationSettings } from "./notification-settings";
import { SignOutButton } from "./sign-out-button";

export function AccountDialog({ onClose }: { onClose: () => void }) {
  return (
    <Modal title="Account" onClose={onClose}>
      <div className="divide-y divide-slate-100">
        <div className="pb-3">
          <DndSetting />
        </div>
        <div className="py-3">
          <NotificationSettings />
        </div>
        <div className="flex justify-end pt-3">
          <SignOutButton />
        </div>
      </div>
    </Modal>
  );
}
