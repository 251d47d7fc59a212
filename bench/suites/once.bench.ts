// once: see ../sync.ts
import { onceSuite } from "../sync";

onceSuite();
